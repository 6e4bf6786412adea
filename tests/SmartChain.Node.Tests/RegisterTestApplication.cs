using SmartChain.Client;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;
using SmartChain.Node.Tests.Register;

namespace SmartChain.Node.Tests;

/// <summary>The key-value register under the platform tests: a write is a PUT to the owner's key; reading is its version.</summary>
public sealed class RegisterTestApplication : TestApplication
{
    /// <inheritdoc />
    public override ApplicationFactory Factory => RegisterApplication.Factory;

    /// <inheritdoc />
    public override Func<SignedRequest> Writer(InProcessNetwork net, Ed25519KeyPair owner)
    {
        ulong sequence = (ulong)DateTime.UtcNow.Ticks;
        int written = 0;
        string key = KeyOf(owner.PublicKey);
        string chain = net.Chain;
        return () => SignedRequest.Create(chain, owner, sequence++, 0, RegisterOperation.EncodePut(key, BitConverter.GetBytes(written++)));
    }

    /// <inheritdoc />
    public override void AssertApplied(ReplyMessage reply)
    {
        (byte code, ulong version) = RegisterOperation.DecodeResult(reply.Result.Span);
        Assert.Equal(RegisterOperation.Ok, code);
        Assert.True(version >= 1);
    }

    /// <inheritdoc />
    public override async Task<ulong> WritesAsync(ChainClient client, Ed25519PublicKey owner, CancellationToken cancellationToken)
    {
        QueryResultMessage answer = await client.QueryAsync(RegisterOperation.EncodeGet(KeyOf(owner)), cancellationToken);
        return RegisterOperation.DecodeAnswer(answer.Body.Span).Version;
    }

    // A key per writer, within the register's 64-byte keys.
    private static string KeyOf(Ed25519PublicKey owner) => $"w-{owner.ToString()[..16]}";
}
