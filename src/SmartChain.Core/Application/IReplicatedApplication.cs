using System.Buffers;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Core.Application;

/// <summary>
/// What every SmartChain application implements: a deterministic state machine fed with decided batches of
/// signed requests. Execution must depend only on its inputs and the state: no clock, no randomness, no
/// environment, and no iteration in hash order. Replicas that execute the same batches from the same snapshot
/// must produce byte-identical results and state.
/// </summary>
public interface IReplicatedApplication
{
    /// <summary>
    /// Checks a request before it may be ordered: the request's signature and everything about the operation
    /// that does not depend on state. Called once per request digest, concurrently from worker threads, so it
    /// must not touch mutable state.
    /// </summary>
    TxCheck CheckTx(SignedRequest request);

    /// <summary>
    /// Executes a decided batch in order and returns one canonical result per request, in the same order. A
    /// request that is rejected must leave the state unchanged.
    /// </summary>
    IReadOnlyList<byte[]> ExecuteBatch(BatchContext context, IReadOnlyList<SignedRequest> batch);

    /// <summary>Writes the state in its canonical encoding (the bytes a checkpoint hashes).</summary>
    void WriteSnapshot(IBufferWriter<byte> output);

    /// <summary>
    /// Captures the current state so that its snapshot can be written later, on another thread, while execution goes
    /// on changing the state (a consistent view). Called between batches on the execution thread, so it should be
    /// cheap: a copy of the data structures, not their encoding. The default encodes at once.
    /// </summary>
    IStateView CaptureState() => new EncodedStateView(this);

    /// <summary>
    /// The door filter: whether a replica should accept <paramref name="request"/> from a client for ordering now,
    /// judged against the state the application last published (it runs on client threads, like <see cref="Query"/>).
    /// Null to admit, else why not. A filter only: replicas may judge differently, so it must never decide a result;
    /// proposals are checked with <see cref="CheckTx"/> alone. The default admits everything.
    /// </summary>
    string? Admit(SignedRequest request) => null;

    /// <summary>Replaces the state with a snapshot; on any error the state is left as it was.</summary>
    /// <exception cref="Encoding.EncodingException">The snapshot is corrupt; the message says where and why.</exception>
    void RestoreSnapshot(ReadOnlySpan<byte> snapshot);

    /// <summary>
    /// Answers a read-only query (never changes the state). Called on client threads, concurrently with execution and
    /// with each other, so it must read a state the application published for readers (an immutable snapshot), never
    /// the one execution is changing; and its answer must be bounded whatever the state (page long lists with a
    /// cursor). Malformed queries throw <see cref="Encoding.EncodingException"/>.
    /// </summary>
    byte[] Query(ReadOnlySpan<byte> query);

    /// <summary>A hash that equal states share and different states do not.</summary>
    Hash256 ComputeStateHash();

    /// <summary>
    /// The application's join policy (SPEC §5): whether <paramref name="candidate"/> may join <paramref name="view"/>.
    /// Runs in execution, when a JOIN request is decided, so it must be deterministic: it may read only the candidate,
    /// the view and the state. The platform has already checked what every application needs (a fresh id and key, free
    /// addresses, a well-formed key chain). The default admits nobody.
    /// </summary>
    JoinVerdict EvaluateJoin(JoinCandidate candidate, Views.View view) => JoinVerdict.Refuse("this application admits no new replicas");
}
