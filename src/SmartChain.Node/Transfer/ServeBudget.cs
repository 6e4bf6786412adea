using System.Diagnostics;

namespace SmartChain.Node.Transfer;

/// <summary>
/// What serving state transfer may cost, per peer and in total (issue 14 point 6): a tip, block or snapshot request from
/// a peer starts work (a store read, a file read, a buffer) only if the peer has fewer than
/// <see cref="TransferOptions.MaxServingPerPeer"/> requests being served, its request rate is within
/// <see cref="TransferOptions.ServeRequestsPerSecond"/> (a token bucket, one second of burst), and the answer's bytes fit
/// in <see cref="TransferOptions.MaxServingBytes"/> across all peers. Anything beyond is refused at once (the asker's
/// timeout moves it to another source), never queued. Thread-safe: requests arrive on the peer pump, answers are
/// released on the ledger loop and the thread pool.
/// </summary>
internal sealed class ServeBudget(TransferOptions options, Func<long>? clock = null, long frequency = 0)
{
    private readonly Func<long> _clock = clock ?? Stopwatch.GetTimestamp;
    private readonly double _frequency = frequency > 0 ? frequency : Stopwatch.Frequency;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, PeerState> _peers = [];
    private long _bytes;

    private sealed class PeerState
    {
        public int Serving;
        public double Tokens;
        public long Refilled;
        public long Refused;
    }

    /// <summary>Bytes reserved by answers being built now, across all peers.</summary>
    public long BytesInFlight
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// Admits a request from <paramref name="peer"/> whose answer may take <paramref name="bytes"/>, or returns why not.
    /// An admitted request must be <see cref="Release"/>d with the same bytes once its answer is sent.
    /// </summary>
    public string? TryAdmit(int peer, long bytes)
    {
        long now = _clock();
        lock (_gate)
        {
            if (!_peers.TryGetValue(peer, out PeerState? state))
            {
                state = new PeerState { Tokens = options.ServeRequestsPerSecond, Refilled = now };
                _peers[peer] = state;
            }

            double elapsed = (now - state.Refilled) / _frequency;
            state.Tokens = Math.Min(options.ServeRequestsPerSecond, state.Tokens + (elapsed * options.ServeRequestsPerSecond));
            state.Refilled = now;
            string? refused = state.Serving >= options.MaxServingPerPeer ? $"{state.Serving} of its requests are being served already (at most {options.MaxServingPerPeer})"
                : state.Tokens < 1 ? $"more than {options.ServeRequestsPerSecond} requests a second"
                : _bytes + bytes > options.MaxServingBytes ? $"answers of {_bytes / 1e6:0.0} MB are being built for all peers (at most {options.MaxServingBytes / 1e6:0.0} MB)"
                : null;
            if (refused is not null)
            {
                state.Refused++;
                return refused;
            }

            state.Tokens--;
            state.Serving++;
            _bytes += bytes;
            return null;
        }
    }

    /// <summary>Ends a request admitted by <see cref="TryAdmit"/>.</summary>
    public void Release(int peer, long bytes)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(peer, out PeerState? state) && state.Serving > 0)
            {
                state.Serving--;
                _bytes -= bytes;
            }
        }
    }

    /// <summary>Requests refused from <paramref name="peer"/> so far.</summary>
    public long RefusedFrom(int peer)
    {
        lock (_gate)
        {
            return _peers.TryGetValue(peer, out PeerState? state) ? state.Refused : 0;
        }
    }
}
