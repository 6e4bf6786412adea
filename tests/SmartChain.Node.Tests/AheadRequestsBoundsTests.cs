using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>The bounds of <see cref="AheadRequests"/>: lead, count and hold time; what is due leaves in order.</summary>
public sealed class AheadRequestsBoundsTests : IAsyncDisposable
{
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.FromSeed(new byte[32]);
    private readonly ClientSession _session;

    public AheadRequestsBoundsTests() =>
        _session = new ClientSession(new SilentClientLink(new PeerIdentity(-1, _client.PublicKey)), 1 << 20, new ByteBudget(1 << 20), TimeProvider.System, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        _client.Dispose();
    }

    [Fact]
    public void Only_requests_at_most_MaxLead_instances_ahead_are_held()
    {
        var ahead = new AheadRequests();
        Assert.False(ahead.TryHold(Request(1, notBefore: 10), lastDecided: 10, tick: 0)); // not ahead at all
        Assert.True(ahead.TryHold(Request(2, notBefore: 11), lastDecided: 10, tick: 0));
        Assert.True(ahead.TryHold(Request(3, notBefore: 10 + AheadRequests.MaxLead), lastDecided: 10, tick: 0));
        Assert.False(ahead.TryHold(Request(4, notBefore: 11 + AheadRequests.MaxLead), lastDecided: 10, tick: 0));
        Assert.Equal(2, ahead.Count);
    }

    [Fact]
    public void No_more_than_Capacity_requests_are_held()
    {
        var ahead = new AheadRequests();
        NodeInput.ClientRequest request = Request(1, notBefore: 1);
        for (int i = 0; i < AheadRequests.Capacity; i++)
        {
            Assert.True(ahead.TryHold(request, lastDecided: 0, tick: 0));
        }

        Assert.False(ahead.TryHold(request, lastDecided: 0, tick: 0));
    }

    [Fact]
    public void Decided_ones_are_due_in_order_old_ones_expire_and_the_rest_stay()
    {
        var ahead = new AheadRequests();
        NodeInput.ClientRequest a = Request(1, notBefore: 1);
        NodeInput.ClientRequest b = Request(2, notBefore: 3);
        NodeInput.ClientRequest c = Request(3, notBefore: 1);
        NodeInput.ClientRequest d = Request(4, notBefore: 4);
        Assert.True(ahead.TryHold(a, 0, tick: 0));
        Assert.True(ahead.TryHold(b, 0, tick: 0));
        Assert.True(ahead.TryHold(c, 0, tick: 0));
        Assert.True(ahead.TryHold(d, 0, tick: 5));
        var due = new List<NodeInput.ClientRequest>();
        var expired = new List<NodeInput.ClientRequest>();

        ahead.Take(lastDecided: 1, tick: AheadRequests.MaxHoldTicks, due, expired);

        Assert.Equal([a, c], due);
        Assert.Equal([b], expired);
        Assert.Equal(1, ahead.Count);
        due.Clear();
        ahead.Take(lastDecided: 4, tick: AheadRequests.MaxHoldTicks, due, expired);
        Assert.Equal([d], due);
        Assert.Equal(0, ahead.Count);
    }

    private NodeInput.ClientRequest Request(ulong sequence, long notBefore) =>
        new(SignedRequest.Create("ahead-bounds", _client, sequence, notBefore, [1]), _session);
}
