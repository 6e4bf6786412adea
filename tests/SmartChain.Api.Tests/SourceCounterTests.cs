using System.Net;
using SmartChain.Api.Endpoints;

namespace SmartChain.Api.Tests;

/// <summary>What counts as one source for the shares of connections, event streams and the rate per source.</summary>
public sealed class SourceCounterTests
{
    [Fact]
    public void An_ipv6_source_is_its_slash_64_and_an_ipv4_mapped_one_its_ipv4_address()
    {
        Assert.Equal(SourceCounter.SourceOf(IPAddress.Parse("2001:db8:1:2::1")), SourceCounter.SourceOf(IPAddress.Parse("2001:db8:1:2:ffff:1:2:3")));
        Assert.NotEqual(SourceCounter.SourceOf(IPAddress.Parse("2001:db8:1:2::1")), SourceCounter.SourceOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), SourceCounter.SourceOf(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), SourceCounter.SourceOf(IPAddress.Parse("192.0.2.7")));
        Assert.Equal(IPAddress.None, SourceCounter.SourceOf(null));
    }

    [Fact]
    public void A_source_holds_at_most_its_share_and_gets_places_back()
    {
        var counter = new SourceCounter(2);
        var released = new List<IPAddress>();
        counter.Released += released.Add;
        IPAddress a = IPAddress.Parse("192.0.2.1");
        IPAddress b = IPAddress.Parse("192.0.2.2");
        Assert.True(counter.TryEnter(a));
        Assert.True(counter.TryEnter(a));
        Assert.False(counter.TryEnter(a));
        Assert.True(counter.TryEnter(b)); // another source has its own share
        counter.Leave(a);
        Assert.True(counter.TryEnter(a));
        Assert.False(counter.TryEnter(a));
        counter.Leave(a);
        counter.Leave(a);
        counter.Leave(a); // one too many is harmless, and gives nothing back
        Assert.Equal([a, a, a], released); // each place given back is announced (tests await it), with its source
        Assert.True(counter.TryEnter(a));
        Assert.True(counter.TryEnter(a));
        Assert.False(counter.TryEnter(a));
    }
}
