using SmartChain.Core.Crypto;
using SmartChain.Ledger;

namespace SmartChain.Node;

/// <summary>
/// Certificates of checkpoint blocks received by state transfer that may reach the ledger loop after execution built
/// (or even the ledger stored) the same block without one. Execution builds a checkpoint block right after the block
/// before it; when that block ended a transfer range, the next range, with the checkpoint block's certificate, can come
/// later. The signers may have erased that view's keys since, so this certificate is the only one the block can get.
/// </summary>
public sealed partial class ReplicaHost
{
    private const int MaxLateCertificates = 64;

    // On the ledger loop: certificates for blocks not yet stored here, by block number.
    private readonly SortedDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> _lateCertificates = [];

    // On the ledger loop.
    private void OnTransferredCertificate(LedgerInput.TransferredCertificate transferred)
    {
        long number = transferred.Number;
        if (number > _store.Height)
        {
            if (_lateCertificates.Count < MaxLateCertificates)
            {
                _lateCertificates[number] = (transferred.Hash, transferred.Certificate);
            }

            return;
        }

        // Execution built the block already, so nothing will take the certificate from where the transfer left it.
        _transferredCertificates.TryRemove(number, out _);
        if (_collector.UncertifiedHash(number) is not { } local)
        {
            return; // certified here already: built with this certificate, or collected
        }

        CheckSameBlock(number, local, transferred.Hash);
        _collector.Certified(number);
        _completed.Add((number, transferred.Certificate));
    }

    // On the ledger loop: a block execution built, with the certificate that state transfer received for it, if it came
    // first. Certificates for blocks at or below this one that never found theirs are dropped.
    private BuiltBlock WithLateCertificate(BuiltBlock built)
    {
        long number = built.Block.Header.Number;
        (Hash256 Hash, BlockCertificate Certificate)? late = null;
        while (_lateCertificates.Count > 0 && _lateCertificates.First() is var (lowest, entry) && lowest <= number)
        {
            _lateCertificates.Remove(lowest);
            if (lowest == number)
            {
                late = entry;
            }
        }

        if (late is not { } found)
        {
            return built;
        }

        _transferredCertificates.TryRemove(number, out _);
        if (built.Block.Certificate is not null)
        {
            return built;
        }

        CheckSameBlock(number, built.Block.Hash, found.Hash);
        return built.WithCertificate(found.Certificate);
    }

    private static void CheckSameBlock(long number, Hash256 built, Hash256 certified)
    {
        if (built != certified)
        {
            throw new InvalidOperationException(
                $"block {number} built here hashes to {built}, but the certified block received by state transfer is {certified}: execution is not deterministic, or this replica's state is corrupt");
        }
    }
}
