using System.Diagnostics;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// Second reader's finding 8: queries were not rated, and a page answer is about 600 times its query. Each session may
/// send <see cref="ClientSession.QueriesPerSecond"/> a second; the excess is answered with an empty body (refused), and
/// the session and every other one keep being served. Real replicas over real TCP.
/// </summary>
public class QueryRateTests
{
    // Below the session's reply queue (4,096, oldest dropped when full): however slowly a loaded machine runs this
    // test's reader, no answer can be dropped, so every query is answered or refused. Still four times the rate.
    private const int Burst = 4_000;

    private static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task Queries_above_the_rate_of_a_session_are_refused_and_that_session_and_others_are_still_answered()
    {
        await using var net = new InProcessNetwork();
        using var greedy = Ed25519KeyPair.Generate();
        await using SecureLink flood = await ConnectAsync(net, greedy);
        byte[] query = CoinQuery.CoinsOf(greedy.PublicKey);

        // Answers are read while the burst is sent.
        Task<(int Answered, int Refused)> answers = CountAnswersAsync(flood, Burst);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Burst; i++)
        {
            await flood.SendAsync(FrameType.Query, new QueryMessage((ulong)i, query).Encode(), flush: i % 500 == 499, Timeout());
        }

        (int answered, int refused) = await answers;
        TimeSpan took = clock.Elapsed;

        // A full bucket, plus what refilled while the burst lasted, and not one more.
        long allowed = ClientSession.QueriesPerSecond + (long)Math.Ceiling(took.TotalSeconds * ClientSession.QueriesPerSecond) + 1;
        Assert.True(refused > 0, $"all {Burst} queries were answered in {took.TotalMilliseconds:0} ms: no rate");
        Assert.True(answered <= allowed, $"{answered} answered in {took.TotalMilliseconds:0} ms; at most {allowed} allowed");
        Assert.Equal(Burst, answered + refused);

        // Another session has its own bucket: answered at once.
        using var other = Ed25519KeyPair.Generate();
        await using SecureLink second = await ConnectAsync(net, other);
        await second.SendAsync(FrameType.Query, new QueryMessage(1, CoinQuery.CoinsOf(other.PublicKey)).Encode(), Timeout());
        Assert.False(QueryResultMessage.Decode((await second.ReceiveAsync(Timeout()))!.Value.Payload.Span).Body.IsEmpty);

        // The greedy session was not closed: as its bucket refills (one a millisecond), its queries are answered again.
        bool servedAgain = false;
        for (ulong id = Burst; id < Burst + 2_000 && !servedAgain; id++)
        {
            await flood.SendAsync(FrameType.Query, new QueryMessage(id, query).Encode(), Timeout());
            QueryResultMessage result = QueryResultMessage.Decode((await flood.ReceiveAsync(Timeout()))!.Value.Payload.Span);
            Assert.Equal(id, result.QueryId);
            servedAgain = !result.Body.IsEmpty;
        }

        Assert.True(servedAgain, "the session that went over the rate was never answered again");
    }

    private static async Task<(int Answered, int Refused)> CountAnswersAsync(SecureLink link, int count)
    {
        int answered = 0;
        int refused = 0;
        for (int i = 0; i < count; i++)
        {
            Frame frame = (await link.ReceiveAsync(Timeout()))!.Value;
            Assert.Equal(FrameType.QueryResult, frame.Type);
            if (QueryResultMessage.Decode(frame.Payload.Span).Body.IsEmpty)
            {
                refused++;
            }
            else
            {
                answered++;
            }
        }

        return (answered, refused);
    }

    private static async Task<SecureLink> ConnectAsync(InProcessNetwork net, Ed25519KeyPair identity)
    {
        var member = net.Genesis.InitialView.Members[0];
        return await SecureLink.ConnectAsync(member.Host, member.ClientPort, net.Chain, new LinkCredentials(PeerIdentity.ClientId, identity),
            new PeerIdentity(0, member.PublicKey), LinkOptions.Default, Timeout());
    }
}
