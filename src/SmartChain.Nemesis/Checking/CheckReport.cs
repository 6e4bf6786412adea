namespace SmartChain.Nemesis.Checking;

/// <summary>The checker's verdict: every violation found (empty: the run is clean) and what was counted on the way.</summary>
public sealed class CheckReport
{
    /// <summary>Each violation, one line, naming the transaction, coin, block or ledger.</summary>
    public List<string> Violations { get; } = [];

    /// <summary>Counts for the summary: operations by outcome, ledgers, heights.</summary>
    public List<string> Summary { get; } = [];

    /// <summary>The recovery measurement, when a timeline was given.</summary>
    public RecoveryResult? Recovery { get; set; }

    /// <summary>True when nothing was violated.</summary>
    public bool Clean => Violations.Count == 0;

    /// <summary>The report as text, summary first, then each violation.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (string line in Summary)
        {
            output.WriteLine(line);
        }

        foreach (string violation in Violations)
        {
            output.WriteLine($"VIOLATION: {violation}");
        }

        output.WriteLine(Clean ? "checker: clean" : $"checker: {Violations.Count} violation(s)");
    }
}
