namespace SmartChain.Core.Genesis;

/// <summary>How a network makes blocks durable before replying (SPEC §4.2). Recorded in genesis.</summary>
public enum PersistenceMode : byte
{
    /// <summary>Reply after the block is fsynced and its certificate of Q signatures is fsynced; replies carry receipts.</summary>
    Strong = 1,

    /// <summary>Reply after the block is fsynced; certificates are completed in the background; clients need Q replies.</summary>
    Weak = 2,
}
