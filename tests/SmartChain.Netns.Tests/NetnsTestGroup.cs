namespace SmartChain.Netns.Tests;

/// <summary>The namespace tests run one after another: they measure delays, which a parallel replica test would blur.</summary>
[CollectionDefinition("netns", DisableParallelization = true)]
public sealed class NetnsTestGroup;
