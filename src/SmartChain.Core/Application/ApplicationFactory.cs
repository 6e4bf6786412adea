using SmartChain.Core.Genesis;

namespace SmartChain.Core.Application;

/// <summary>
/// Makes the application a replica runs, in the genesis state of <paramref name="genesis"/>. The platform (the
/// replica host, ledger recovery, the ledger verifier) never names an application: whoever composes a replica (the
/// CLI's <c>node run</c>, a test network) supplies this, and the platform calls it each time it needs a fresh state
/// (once per replica start, once per ledger replay).
/// </summary>
/// <param name="genesis">The network's genesis document (chain id, application parameters such as SMaRtCoin's minters).</param>
/// <returns>A new application instance in its genesis state, owned by the caller.</returns>
public delegate IReplicatedApplication ApplicationFactory(GenesisDocument genesis);
