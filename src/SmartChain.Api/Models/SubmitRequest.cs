namespace SmartChain.Api.Models;

/// <summary>A signed transaction to submit: its canonical signed bytes, in exactly one of <c>base64</c> or <c>hex</c>.</summary>
public sealed record SubmitRequest(string? Base64, string? Hex);
