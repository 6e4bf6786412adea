using System.Net;

namespace SmartChain.Node.Tests;

/// <summary>
/// Second reader's finding 6: four addresses (or one IPv6 /64) could take all 256 client sessions. Sources are grouped
/// (IPv6 by /64) and a newcomer below its fair share evicts the session idle longest of the source holding the most.
/// </summary>
public sealed class ClientSessionLimiterTests : IDisposable
{
    private readonly List<ClientSessionTicket> _tickets = [];

    public void Dispose() => _tickets.ForEach(t => t.Dispose());

    [Fact]
    public void Four_addresses_at_their_cap_cannot_lock_a_fifth_out_it_evicts_the_idlest_session_of_the_largest_holder()
    {
        var limiter = new ClientSessionLimiter(maxTotal: 256, maxPerSource: 64);
        var held = new Dictionary<int, List<ClientSessionTicket>>();
        for (int a = 1; a <= 4; a++)
        {
            held[a] = [.. Enumerable.Range(0, 64).Select(_ => Enter(limiter, $"10.0.0.{a}"))];
        }

        // Every session but one has received a frame since it opened.
        ClientSessionTicket idlest = held[3][17];
        foreach (ClientSessionTicket ticket in held.Values.SelectMany(t => t).Where(t => t != idlest))
        {
            ticket.Touch();
        }

        Assert.Equal(256, limiter.Open);

        string? refusal = limiter.TryEnter(IPAddress.Parse("192.0.2.9"), CancellationToken.None, out ClientSessionTicket? newcomer, out string? evicted);

        Assert.Null(refusal);
        Assert.NotNull(newcomer);
        _tickets.Add(newcomer);
        Assert.Equal(256, limiter.Open);
        Assert.Equal(1, limiter.Evictions);
        Assert.Equal("the session idle longest of 10.0.0.3, which held the most", evicted);
        Assert.True(idlest.Token.IsCancellationRequested, "the idlest session of the largest sources was not ended");
        Assert.Equal(1, held.Values.SelectMany(t => t).Count(t => t.Token.IsCancellationRequested));

        // The evicted session's loop ends and leaves: its place was already given away, so nothing is freed twice.
        limiter.Leave(idlest);
        Assert.Equal(256, limiter.Open);
    }

    [Fact]
    public void The_session_idle_longest_is_the_one_evicted()
    {
        var limiter = new ClientSessionLimiter(maxTotal: 8, maxPerSource: 8);
        ClientSessionTicket[] big = [.. Enumerable.Range(0, 6).Select(_ => Enter(limiter, "10.0.0.1"))];
        ClientSessionTicket[] small = [.. Enumerable.Range(0, 2).Select(_ => Enter(limiter, "10.0.0.2"))];
        foreach (int i in (int[])[0, 1, 2, 4, 5])
        {
            big[i].Touch(); // big[3] has been idle since it opened
        }

        Assert.Null(limiter.TryEnter(IPAddress.Parse("10.0.0.3"), CancellationToken.None, out ClientSessionTicket? newcomer, out _));
        _tickets.Add(newcomer!);

        Assert.Equal([false, false, false, true, false, false], big.Select(t => t.Token.IsCancellationRequested));
        Assert.All(small, t => Assert.False(t.Token.IsCancellationRequested));
    }

    [Fact]
    public void IPv6_addresses_of_one_slash_64_share_the_per_source_cap()
    {
        var limiter = new ClientSessionLimiter(maxTotal: 256, maxPerSource: 64);
        for (int i = 1; i <= 64; i++)
        {
            Enter(limiter, $"2001:db8:1:2::{i:x}");
        }

        string? refusal = limiter.TryEnter(IPAddress.Parse("2001:db8:1:2:ffff:eeee:dddd:cccc"), CancellationToken.None, out ClientSessionTicket? ticket, out _);

        Assert.Null(ticket);
        Assert.Equal("64 client sessions are open from 2001:db8:1:2::/64 (cap 64 per source)", refusal);
        Assert.NotNull(Enter(limiter, "2001:db8:1:3::1")); // the next /64 is another source
        Assert.Equal(IPAddress.Parse("192.0.2.7"), ClientSessionLimiter.SourceOf(IPAddress.Parse("::ffff:192.0.2.7")));
    }

    [Fact]
    public void A_newcomer_at_its_fair_share_is_refused_and_nobody_is_evicted()
    {
        var limiter = new ClientSessionLimiter(maxTotal: 8, maxPerSource: 8);
        ClientSessionTicket[] all = [.. Enumerable.Range(1, 8).Select(i => Enter(limiter, $"10.0.1.{i}"))];

        // Eight sources of one session each: a ninth source's fair share is 8 / 9 = 0 sessions.
        string? refusal = limiter.TryEnter(IPAddress.Parse("10.0.2.1"), CancellationToken.None, out ClientSessionTicket? ticket, out _);
        Assert.Null(ticket);
        Assert.Equal("8 client sessions are open (cap 8) and 10.0.2.1 holds its fair share", refusal);

        // A source that already holds its share takes nothing from a source holding no more than one above it.
        var two = new ClientSessionLimiter(maxTotal: 4, maxPerSource: 4);
        Enter(two, "10.0.3.1");
        Enter(two, "10.0.3.1");
        Enter(two, "10.0.3.2");
        Enter(two, "10.0.3.2");
        Assert.NotNull(two.TryEnter(IPAddress.Parse("10.0.3.2"), CancellationToken.None, out _, out _));
        Assert.Equal(0, two.Evictions);
        Assert.All(all, t => Assert.False(t.Token.IsCancellationRequested));
    }

    [Fact]
    public void A_session_that_leaves_frees_its_place_and_a_stopping_replica_ends_every_session()
    {
        using var stop = new CancellationTokenSource();
        var limiter = new ClientSessionLimiter(maxTotal: 2, maxPerSource: 2);
        Assert.Null(limiter.TryEnter(IPAddress.Parse("10.0.0.1"), stop.Token, out ClientSessionTicket? first, out _));
        _tickets.Add(first!);
        limiter.Leave(first!);
        Assert.Equal(0, limiter.Open);

        Assert.Null(limiter.TryEnter(IPAddress.Parse("10.0.0.1"), stop.Token, out ClientSessionTicket? second, out _));
        _tickets.Add(second!);
        stop.Cancel();
        Assert.True(second!.Token.IsCancellationRequested);
    }

    private ClientSessionTicket Enter(ClientSessionLimiter limiter, string address)
    {
        Assert.Null(limiter.TryEnter(IPAddress.Parse(address), CancellationToken.None, out ClientSessionTicket? ticket, out _));
        _tickets.Add(ticket!);
        return ticket!;
    }
}
