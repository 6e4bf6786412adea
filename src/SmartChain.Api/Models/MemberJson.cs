namespace SmartChain.Api.Models;

/// <summary>A member of a view: id, addresses, identity key and its key of that view (the key certificates are checked with).</summary>
public sealed record MemberJson(int Id, string Host, int Port, int ClientPort, string PublicKey, string ViewKey);
