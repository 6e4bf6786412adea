namespace SmartChain.Core.Genesis;

/// <summary>The "consensus" object of genesis.json; a missing field takes its default.</summary>
internal sealed class GenesisConsensusSection
{
    public int? MaxBatch { get; set; }

    public int? MaxBatchBytes { get; set; }

    public int? MaxRequestBytes { get; set; }

    public int? TickMs { get; set; }

    public int? RequestTimeoutMs { get; set; }

    public long? RequestWindow { get; set; }
}
