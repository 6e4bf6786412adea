using System.Collections.Concurrent;
using SmartChain.Core.Crypto;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// Certificates of checkpoint blocks received by state transfer that may reach the ledger loop after execution built
/// (or even the ledger stored) the same block without one. Execution builds a checkpoint block right after the block
/// before it; when that block ended a transfer range, the next range, with the checkpoint block's certificate, can come
/// later. The signers may have erased that view's keys since, so this certificate is the only one the block can get.
/// Owned by the ledger loop; <paramref name="transferred"/> is the map state transfer fills and execution drains.
/// </summary>
internal sealed class LateCertificates(ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> transferred)
{
    private const int MaxLateCertificates = 64;

    // Certificates for blocks not yet stored here, by block number.
    private readonly SortedDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> _late = [];

    /// <summary>
    /// A certificate state transfer received for block <paramref name="number"/>: kept for later if the block is not
    /// stored yet (<paramref name="storeHeight"/>), else returned, and marked certified in <paramref name="collector"/>, if
    /// the stored block still waits for one.
    /// </summary>
    public BlockCertificate? Arrived(long number, Hash256 hash, BlockCertificate certificate, long storeHeight, CertificateCollector collector)
    {
        if (number > storeHeight)
        {
            if (_late.Count < MaxLateCertificates)
            {
                _late[number] = (hash, certificate);
            }

            return null;
        }

        // Execution built the block already, so nothing will take the certificate from where the transfer left it.
        transferred.TryRemove(number, out _);
        if (collector.UncertifiedHash(number) is not { } local)
        {
            return null; // certified here already: built with this certificate, or collected
        }

        CheckSameBlock(number, local, hash);
        collector.Certified(number);
        return certificate;
    }

    /// <summary>
    /// A block execution built, with the certificate that state transfer received for it, if it came first.
    /// Certificates for blocks at or below this one that never found theirs are dropped.
    /// </summary>
    public BuiltBlock Attach(BuiltBlock built)
    {
        long number = built.Block.Header.Number;
        (Hash256 Hash, BlockCertificate Certificate)? late = null;
        while (_late.Count > 0 && _late.First() is var (lowest, entry) && lowest <= number)
        {
            _late.Remove(lowest);
            if (lowest == number)
            {
                late = entry;
            }
        }

        if (late is not { } found)
        {
            return built;
        }

        transferred.TryRemove(number, out _);
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
