using SmartChain.Core.Crypto;

namespace SmartChain.Nemesis.History;

/// <summary>
/// One line of a history: a client's operation at one moment of its life (invoked, then ok, fail or unknown). The
/// transaction id is the request digest, so every record of one operation, retries included, names the same id.
/// </summary>
/// <param name="Outcome">Invoke, or how the operation completed.</param>
/// <param name="Process">The client stream that issued it (one operation in flight per process).</param>
/// <param name="Kind">MINT or SPEND.</param>
/// <param name="Transaction">The transaction id (SHA-256 of the signed request).</param>
/// <param name="TimeMs">Milliseconds since the run started.</param>
public sealed record HistoryRecord(OperationOutcome Outcome, int Process, OperationKind Kind, Hash256 Transaction, double TimeMs)
{
    /// <summary>
    /// The latest moment a history or timeline may name: 30 days after the run started. Runs last minutes to hours; the
    /// bound is what keeps a damaged file from sending the recovery judgement (a 250 ms sweep from the heal to the last
    /// ok) or the plot (one bucket a second) into billions of steps.
    /// </summary>
    public const double MaxTimeMs = 30.0 * 24 * 3600 * 1000;

    /// <summary>Null if <paramref name="timeMs"/> is a moment of a run (0..<see cref="MaxTimeMs"/>), else why not.</summary>
    public static string? TimeProblem(double timeMs) =>
        timeMs is >= 0 and <= MaxTimeMs ? null
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timeMs} ms is not a moment of a run (0 to {MaxTimeMs} ms, 30 days)");

    /// <summary>The coin ids the operation spends (empty for MINT).</summary>
    public IReadOnlyList<Hash256> Inputs { get; init; } = [];

    /// <summary>The coin ids it creates (on Ok: as the reply said; on invoke: as derived from the request).</summary>
    public IReadOnlyList<Hash256> Created { get; init; } = [];

    /// <summary>On a completion, milliseconds since its invoke.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>On Fail: whether the network ordered it (a SMaRtCoin rejection in a block) or refused it before ordering.</summary>
    public bool Ordered { get; init; }

    /// <summary>On Fail or Unknown: why, as the client saw it.</summary>
    public string? Error { get; init; }

    /// <summary>On Ok: the block the reply named.</summary>
    public long? Block { get; init; }
}
