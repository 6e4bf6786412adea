namespace SmartChain.Storage.Simulation;

/// <summary>An invariant of the storage simulation failed: the message says which and where.</summary>
internal sealed class InvariantViolation(string message) : Exception(message);
