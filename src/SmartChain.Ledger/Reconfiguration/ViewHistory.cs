using SmartChain.Core.Views;

namespace SmartChain.Ledger.Reconfiguration;

/// <summary>
/// The views a replica knows, each with the block that installed it (0 for the genesis view): enough to tell which view
/// certifies any block whose header it holds. Block b is certified by the view in force at it, installed by the latest
/// reconfiguration block before b; a reconfiguration block itself (lastReconfig = its own number) is certified by the view
/// before the one it installs. Thread-safe.
/// </summary>
public sealed class ViewHistory
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, View> _byBlock = [];

    /// <summary>Starts with <paramref name="genesis"/>, installed by block 0.</summary>
    public ViewHistory(View genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        _byBlock[0] = genesis;
    }

    /// <summary>The newest view known and the block that installed it.</summary>
    public (long Block, View View) Latest
    {
        get
        {
            lock (_gate)
            {
                KeyValuePair<long, View> last = _byBlock.Last();
                return (last.Key, last.Value);
            }
        }
    }

    /// <summary>Records that block <paramref name="block"/> installed <paramref name="view"/>.</summary>
    /// <exception cref="InvalidOperationException">Another view is already recorded for that block, or the view numbers do not follow.</exception>
    public void Add(long block, View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        lock (_gate)
        {
            if (_byBlock.TryGetValue(block, out View? known))
            {
                if (known.Id != view.Id)
                {
                    throw new InvalidOperationException($"block {block} installed {known}, not {view}");
                }

                return;
            }

            _byBlock[block] = view;
        }
    }

    /// <summary>The view installed by block <paramref name="block"/>, if known.</summary>
    public View? InstalledBy(long block)
    {
        lock (_gate)
        {
            return _byBlock.GetValueOrDefault(block);
        }
    }

    /// <summary>
    /// The view that certifies the block with <paramref name="header"/>, or null with the reason if its lastReconfig names
    /// a block this history does not know as a reconfiguration block.
    /// </summary>
    public View? CertifyingView(BlockHeader header, out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        lock (_gate)
        {
            error = null;
            if (ReconfigurationBlock.Installs(header))
            {
                View? before = null;
                foreach ((long block, View view) in _byBlock)
                {
                    if (block >= header.Number)
                    {
                        break;
                    }

                    before = view;
                }

                return before;
            }

            if (_byBlock.TryGetValue(header.LastReconfig, out View? inForce))
            {
                return inForce;
            }

            error = $"block {header.Number} names block {header.LastReconfig} as its last reconfiguration block, whose view is not proven here";
            return null;
        }
    }

    /// <summary>Every known view later than view <paramref name="viewId"/>, with its installing block, in order.</summary>
    public IReadOnlyList<(long Block, View View)> After(long viewId)
    {
        lock (_gate)
        {
            return [.. _byBlock.Where(v => v.Value.Id > viewId).Select(v => (v.Key, v.Value))];
        }
    }
}
