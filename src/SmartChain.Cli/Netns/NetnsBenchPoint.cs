namespace SmartChain.Cli.Netns;

/// <summary>One measured load of the WAN benchmark: n replicas, a persistence mode, a profile, a client count, and the result.</summary>
internal sealed record NetnsBenchPoint(int Replicas, string Persistence, string Profile, double LinkRttMs, int Clients, LoadJson Result);
