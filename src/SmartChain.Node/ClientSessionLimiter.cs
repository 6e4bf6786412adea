using System.Net;

namespace SmartChain.Node;

/// <summary>Client sessions open now, in total and per source address, against their caps.</summary>
internal sealed class ClientSessionLimiter(int maxTotal, int maxPerSource)
{
    private readonly Dictionary<IPAddress, int> _perSource = [];
    private int _total;

    public int Open
    {
        get
        {
            lock (_perSource)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a place for a session from <paramref name="source"/>, or says why there is none.</summary>
    public string? TryEnter(IPAddress source)
    {
        lock (_perSource)
        {
            int fromSource = _perSource.GetValueOrDefault(source);
            if (_total >= maxTotal)
            {
                return $"{_total} client sessions are open (cap {maxTotal})";
            }

            if (fromSource >= maxPerSource)
            {
                return $"{fromSource} client sessions are open from {source} (cap {maxPerSource} per address)";
            }

            _perSource[source] = fromSource + 1;
            _total++;
            return null;
        }
    }

    public void Leave(IPAddress source)
    {
        lock (_perSource)
        {
            int left = _perSource[source] - 1;
            if (left == 0)
            {
                _perSource.Remove(source);
            }
            else
            {
                _perSource[source] = left;
            }

            _total--;
        }
    }
}
