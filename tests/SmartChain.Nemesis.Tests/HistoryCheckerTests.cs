using SmartChain.Coin;
using SmartChain.Core.Requests;
using SmartChain.Nemesis.Checking;
using SmartChain.Nemesis.History;

namespace SmartChain.Nemesis.Tests;

/// <summary>
/// The checker on real ledgers (real blocks, certificates and signatures, written by the block store): a correct run is
/// clean, and a lost ok transaction, a double spend, an ok recorded as a rejection, a failed transaction that executed
/// and ledgers that differ are each reported.
/// </summary>
public sealed class HistoryCheckerTests : IDisposable
{
    private readonly CoinLedgerFixture _f = new();
    private readonly SignedRequest _mintAlice;
    private readonly SignedRequest _alicePaysBob;

    public HistoryCheckerTests()
    {
        _mintAlice = _f.Mint(_f.Alice, 100);
        _f.AddBlock(_mintAlice, _f.Mint(_f.Bob, 50));
        _alicePaysBob = CoinLedgerFixture.Spend(_f.Alice, 1, CoinIds.Derive(_mintAlice.Digest, 0), _f.Bob, 100);
        _f.AddBlock(_alicePaysBob);
    }

    [Fact]
    public void A_correct_run_is_clean()
    {
        CheckReport report = Check(_f.History, "a", "b");
        Assert.True(report.Clean, string.Join("\n", report.Violations));
        Assert.Contains(report.Summary, s => s.Contains("3 ok", StringComparison.Ordinal));
    }

    [Fact]
    public void An_ok_transaction_missing_from_the_ledgers_is_reported_lost()
    {
        // The client was told ok for a SPEND that no block holds.
        SignedRequest lost = CoinLedgerFixture.Spend(_f.Bob, 1, CoinIds.Derive(_alicePaysBob.Digest, 0), _f.Alice, 100);
        HistoryRecord invoke = CoinLedgerFixture.Invoke(lost, process: 9);
        List<HistoryRecord> history = [.. _f.History, invoke, invoke with { Outcome = OperationOutcome.Ok, TimeMs = 99, Block = 3 }];

        CheckReport report = Check(history, "a", "b");

        string violation = Assert.Single(report.Violations);
        Assert.StartsWith($"lost: ok transaction {lost.Digest}", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ok_transaction_missing_from_one_ledger_that_reaches_its_block_is_reported()
    {
        // Ledger c has the same blocks but one: written from a second chain where the SPEND never happened.
        using var other = new CoinLedgerFixture();
        other.AddBlock(other.Mint(other.Alice, 100), other.Mint(other.Bob, 50));
        other.AddBlock(CoinLedgerFixture.Spend(other.Alice, 1, CoinIds.Derive(other.History[0].Transaction, 0), other.Bob, 99)); // a different SPEND

        LedgerFacts good = LedgerScanner.Scan("a", _f.WriteLedger("a"), _f.Genesis);
        LedgerFacts differs = LedgerScanner.Scan("c", other.WriteLedger("c"), other.Genesis);
        CheckReport report = HistoryChecker.Check(_f.History, [good, differs]);

        Assert.Contains(report.Violations, v => v.StartsWith($"lost: ok transaction {_alicePaysBob.Digest}", StringComparison.Ordinal) && v.Contains("ledger c", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.StartsWith("ledgers a and c differ at block 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_ok_transactions_spending_one_coin_are_a_double_spend()
    {
        // The client was told ok for a second SPEND of Alice's coin (to herself): a double spend, whatever the ledger holds.
        SignedRequest second = CoinLedgerFixture.Spend(_f.Alice, 2, CoinIds.Derive(_mintAlice.Digest, 0), _f.Alice, 100);
        HistoryRecord invoke = CoinLedgerFixture.Invoke(second, process: 7);
        List<HistoryRecord> history = [.. _f.History, invoke, invoke with { Outcome = OperationOutcome.Ok, TimeMs = 99 }];

        CheckReport report = Check(history, "a", "b");

        Assert.Contains(report.Violations, v => v == $"double spend: coin {CoinIds.Derive(_mintAlice.Digest, 0)} is spent by ok transaction {_alicePaysBob.Digest} and by ok transaction {second.Digest}" ||
                                                v == $"double spend: coin {CoinIds.Derive(_mintAlice.Digest, 0)} is spent by ok transaction {second.Digest} and by ok transaction {_alicePaysBob.Digest}");
        Assert.False(report.Clean);
    }

    [Fact]
    public void A_ledger_rejection_told_as_ok_and_an_ok_told_as_failed_are_reported()
    {
        // Block 3: Alice tries to spend her coin again; SMaRtCoin rejects it in the block.
        SignedRequest again = CoinLedgerFixture.Spend(_f.Alice, 2, CoinIds.Derive(_mintAlice.Digest, 0), _f.Alice, 100);
        _f.AddBlock(again);
        List<HistoryRecord> history = [.. _f.History];
        int rejected = history.FindIndex(r => r.Transaction == again.Digest && r.Outcome == OperationOutcome.Fail);
        history[rejected] = history[rejected] with { Outcome = OperationOutcome.Ok, Created = [] };
        int paid = history.FindIndex(r => r.Transaction == _alicePaysBob.Digest && r.Outcome == OperationOutcome.Ok);
        history[paid] = history[paid] with { Outcome = OperationOutcome.Fail, Ordered = false, Error = "refused" };

        CheckReport report = Check(history, "a");

        Assert.Contains($"ok transaction {again.Digest} is recorded with a rejection in block 3 of ledger a", report.Violations);
        Assert.Contains(report.Violations, v => v.StartsWith($"failed transaction {_alicePaysBob.Digest} (refused) is executed with an Ok result", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_operations_may_be_executed_or_not_and_a_shorter_ledger_is_not_a_loss()
    {
        SignedRequest never = CoinLedgerFixture.Spend(_f.Bob, 5, CoinIds.Derive(_alicePaysBob.Digest, 0), _f.Alice, 100);
        List<HistoryRecord> history = [.. _f.History.Select(r => r.Transaction == _alicePaysBob.Digest && r.Outcome == OperationOutcome.Ok ? r with { Outcome = OperationOutcome.Unknown } : r),
            CoinLedgerFixture.Invoke(never, 3) with { Outcome = OperationOutcome.Unknown }];
        LedgerFacts full = LedgerScanner.Scan("a", _f.WriteLedger("a"), _f.Genesis);
        LedgerFacts behind = LedgerScanner.Scan("b", _f.WriteLedger("b", count: 2), _f.Genesis); // genesis and block 1 only

        CheckReport report = HistoryChecker.Check(history, [full, behind]);

        Assert.True(report.Clean, string.Join("\n", report.Violations));
        Assert.Contains(report.Summary, s => s.Contains("2 unknown or never completed (1 of them executed, 1 not)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_coins_recomputed_from_the_ledger_match_the_replayed_state()
    {
        using var f = new CoinLedgerFixture();
        SignedRequest mint = f.Mint(f.Alice, 10);
        f.AddBlock(mint);
        f.AddBlock(f.Mint(f.Bob, 20));

        LedgerFacts facts = LedgerScanner.Scan("a", f.WriteLedger("a"), f.Genesis);

        Assert.Null(facts.Failure);
        Assert.Empty(facts.CoinViolations);
        Assert.Equal(facts.ReplayedStateHash, facts.RecomputedStateHash);
        Assert.Equal(10u, (ulong)facts.Balances[f.Alice.PublicKey]);
    }

    [Fact]
    public void A_member_whose_ledger_stayed_far_behind_did_not_catch_up()
    {
        for (int n = 0; n < HistoryChecker.LaggingBlocks + 5; n++)
        {
            _f.AddBlock(_f.Mint(_f.Bob, 1));
        }

        LedgerFacts longest = LedgerScanner.Scan("node0", _f.WriteLedger("a"), _f.Genesis, replica: 0);
        LedgerFacts stuck = LedgerScanner.Scan("node1", _f.WriteLedger("b", count: 3), _f.Genesis, replica: 1);
        LedgerFacts gone = LedgerScanner.Scan("node9", _f.WriteLedger("c", count: 3), _f.Genesis, replica: 9); // not a member: exempt
        CheckReport report = HistoryChecker.Check(_f.History, [longest, stuck, gone]);

        string violation = Assert.Single(report.Violations);
        Assert.StartsWith("replica 1 (a member of the final view, 0,1,2,3) holds 3 blocks", violation, StringComparison.Ordinal);
    }

    public void Dispose() => _f.Dispose();

    private CheckReport Check(IReadOnlyList<HistoryRecord> history, params string[] ledgers) =>
        HistoryChecker.Check(history, [.. ledgers.Select(name => LedgerScanner.Scan(name, _f.WriteLedger(name), _f.Genesis))]);
}
