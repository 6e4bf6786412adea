namespace SmartChain.Cli.Nemesis;

/// <summary>The fault classes of the nemesis, named as in the timeline.</summary>
internal static class FaultKind
{
    public const string PartitionLeader = "partition-leader";
    public const string PartitionMinority = "partition-minority";
    public const string PartitionBridge = "partition-bridge";
    public const string Kill = "kill";
    public const string Pause = "pause";
    public const string Loss = "loss";
    public const string Delay = "delay";
    public const string Wipe = "wipe";
    public const string Leave = "leave";

    /// <summary>The classes scheduled in every round (the leave happens once, during a delay spike of the first round).</summary>
    public static IReadOnlyList<string> Rotating { get; } = [PartitionLeader, PartitionMinority, PartitionBridge, Kill, Pause, Loss, Delay, Wipe];
}
