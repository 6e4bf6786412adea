namespace SmartChain.Api.Models;

/// <summary><c>/healthz</c>: the process is up and serving HTTP.</summary>
public sealed record HealthResponse(string Status);
