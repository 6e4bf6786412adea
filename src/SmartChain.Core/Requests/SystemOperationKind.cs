namespace SmartChain.Core.Requests;

/// <summary>The second byte of a <see cref="SystemOperation"/>.</summary>
public enum SystemOperationKind : byte
{
    /// <summary>A node asks to join; each replica judges it by the application's join policy and votes.</summary>
    Join = 1,

    /// <summary>A join certificate (Q votes): installs the view with the new member.</summary>
    Reconfigure = 2,

    /// <summary>A member leaves, by its own signed request.</summary>
    Leave = 3,

    /// <summary>A member's vote to exclude another; f+1 votes remove it.</summary>
    Exclude = 4,
}
