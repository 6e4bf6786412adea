using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Network;

/// <summary>Who may connect on which port.</summary>
public static class LinkAuthorization
{
    /// <summary>The replica port: only members of <paramref name="view"/>, each with its own key.</summary>
    public static Func<int, Ed25519PublicKey, string?> ReplicasOf(View view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return (id, key) =>
            !view.TryGetMember(id, out ReplicaMember? member) || member is null ? $"replica {id} is not a member of {view}"
            : member.PublicKey != key ? $"the key {key} is not replica {id}'s key"
            : null;
    }

    /// <summary>The client port: any client key (requests carry their own signatures); replica ids are refused.</summary>
    public static string? AnyClient(int id, Ed25519PublicKey key) =>
        id == PeerIdentity.ClientId ? null : $"id {id} on the client port; replicas connect on the replica port";
}
