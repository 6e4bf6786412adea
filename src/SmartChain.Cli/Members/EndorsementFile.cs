using System.Text.Json;
using SmartChain.Coin;
using SmartChain.Core.Crypto;

namespace SmartChain.Cli.Members;

/// <summary>
/// A member's endorsement of a joiner, as a small JSON file handed from the member's operator to the joiner's:
/// <c>{"type":"smartchain-endorsement","chainId":…,"endorser":id,"joiner":hex key,"replicaId":id,"signature":hex}</c>.
/// The signature is SMaRtCoin's endorsement statement, signed with the endorser's identity key (<see cref="CoinJoinPolicy"/>).
/// </summary>
internal sealed record EndorsementFile(string ChainId, int Endorser, Ed25519PublicKey Joiner, int ReplicaId, byte[] Signature)
{
    private const string TypeName = "smartchain-endorsement";

    /// <summary>The JOIN payload it becomes.</summary>
    public byte[] Payload => CoinJoinPolicy.EndorsementPayload(Endorser, Signature);

    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("type", TypeName);
            w.WriteString("chainId", ChainId);
            w.WriteNumber("endorser", Endorser);
            w.WriteString("joiner", Joiner.ToString());
            w.WriteNumber("replicaId", ReplicaId);
            w.WriteString("signature", Convert.ToHexStringLower(Signature));
            w.WriteEndObject();
        }

        Core.IO.DurableFile.WriteNew(path, buffer.ToArray());
    }

    /// <exception cref="CliException">Not an endorsement file (the message says what is wrong).</exception>
    public static EndorsementFile Load(string path)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = json.RootElement;
            if (root.GetProperty("type").GetString() != TypeName)
            {
                throw new CliException($"{path} is not a SmartChain endorsement (type is not \"{TypeName}\")");
            }

            return new EndorsementFile(root.GetProperty("chainId").GetString()!, root.GetProperty("endorser").GetInt32(),
                Ed25519PublicKey.Parse(root.GetProperty("joiner").GetString()!), root.GetProperty("replicaId").GetInt32(),
                Convert.FromHexString(root.GetProperty("signature").GetString()!));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or IOException)
        {
            throw new CliException($"cannot read the endorsement {path}: {e.Message}");
        }
    }
}
