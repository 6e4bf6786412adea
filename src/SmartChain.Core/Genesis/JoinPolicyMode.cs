namespace SmartChain.Core.Genesis;

/// <summary>SMaRtCoin's join policy (genesis <c>coin.joinPolicy</c>): what a JOIN's payload must show.</summary>
public enum JoinPolicyMode : byte
{
    /// <summary>An endorsement signed by a current member's identity key, or the joiner's key on the allow-list.</summary>
    EndorsementOrAllowList = 1,

    /// <summary>Only an endorsement by a current member.</summary>
    Endorsement = 2,

    /// <summary>Only the allow-list.</summary>
    AllowList = 3,
}
