namespace SmartChain.Explorer.Tests;

/// <summary>The tests that share one browser (<see cref="Chromium"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}
