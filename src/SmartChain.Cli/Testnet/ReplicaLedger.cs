using SmartChain.Ledger.Verification;

namespace SmartChain.Cli.Testnet;

/// <summary>One replica's ledger, as its verification found it.</summary>
internal sealed record ReplicaLedger(int Replica, VerifyReport Report);
