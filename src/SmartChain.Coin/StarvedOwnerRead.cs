using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>
/// A read of one owner that write sections overlapped <see cref="CoinOwnerIndex.OptimisticReads"/> times in a row,
/// handed to the writer: its next <see cref="CoinOwnerIndex.Publish"/> answers it from the state it has just published
/// (the writer's own view, which no one else changes), so a reader is answered within a bounded number of batches
/// however often they come, and the writer still never waits (it only adds a bounded amount of reading per publish).
/// <paramref name="max"/> is the page's size, null for no page (a balance, or whether the owner owns a coin).
/// </summary>
internal sealed class StarvedOwnerRead(Ed25519PublicKey owner, Hash256? after, int? max)
{
    private const int Asked = 0;
    private const int Answered = 1;
    private const int Abandoned = 2;

    private int _state; // Asked, then Answered by the writer or Abandoned by the reader

    /// <summary>The owner read.</summary>
    public Ed25519PublicKey Owner { get; } = owner;

    /// <summary>The page's coins (writer fills it; the reader reads it once <see cref="IsAnswered"/>).</summary>
    public List<(Hash256 Id, ulong Value)> Page { get; } = [];

    /// <summary>Whether coins follow the page.</summary>
    public bool More { get; private set; }

    /// <summary>False if the owner's list looked inconsistent to the writer itself (a bug, as in a validated read).</summary>
    public bool Whole { get; private set; }

    /// <summary>The owner's coins.</summary>
    public int Count { get; private set; }

    /// <summary>Their total.</summary>
    public UInt128 Total { get; private set; }

    /// <summary>True once the writer answered (acquire: its answer is visible after a true).</summary>
    public bool IsAnswered => Volatile.Read(ref _state) == Answered;

    /// <summary>True if the reader no longer waits for the answer (it read a state no write overlapped meanwhile).</summary>
    public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

    /// <summary>The reader has its answer: the writer may skip this read.</summary>
    public void Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Asked);

    /// <summary>Writer only, between write sections: reads <paramref name="list"/> (null: no coins) and publishes the answer.</summary>
    public void Answer(OwnerCoinList? list)
    {
        bool more = false;
        Whole = list is null || max is not { } size || list.TryReadPage(after, size, Page, out more);
        More = more;
        Count = list?.Count ?? 0;
        Total = list?.Total ?? 0;
        Interlocked.CompareExchange(ref _state, Answered, Asked); // release: the fields above before the state
    }
}
