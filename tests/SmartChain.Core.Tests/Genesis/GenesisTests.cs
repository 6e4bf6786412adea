using System.Text.Json.Nodes;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Tests.Views;
using SmartChain.Core.Views;

namespace SmartChain.Core.Tests.Genesis;

public class GenesisTests
{
    private static GenesisDocument Sample(int n = 4) => new(
        "smartchain-test",
        PersistenceMode.Strong,
        new View(0, Enumerable.Range(0, n).Select(i => { ReplicaMember m = ViewTests.Member(i); return ReplicaMember.WithOneViewKey(i, m.Host, m.Port, m.ClientPort, m.PublicKey); })),
        ConsensusParameters.Default,
        500,
        [new Ed25519PublicKey(Hash256.Compute("minter"u8).ToArray())]);

    private static JsonNode SampleJson() => JsonNode.Parse(GenesisJson.Serialize(Sample()))!;

    private static GenesisException Invalid(JsonNode json) =>
        Assert.Throws<GenesisException>(() => GenesisJson.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())));

    [Fact]
    public void A_genesis_round_trips_through_json_with_the_same_hash()
    {
        GenesisDocument genesis = Sample();
        GenesisDocument loaded = GenesisJson.Parse(GenesisJson.Serialize(genesis));
        Assert.Equal(genesis.Hash, loaded.Hash);
        Assert.Equal(genesis.Encode(), loaded.Encode());
        Assert.Equal((4, 1, 3), (loaded.InitialView.N, loaded.InitialView.F, loaded.InitialView.Q));
        Assert.Equal(PersistenceMode.Strong, loaded.Persistence);
        Assert.Equal(500, loaded.CheckpointPeriod);
    }

    [Fact]
    public void The_hash_ignores_json_formatting_but_not_content()
    {
        JsonNode json = SampleJson();
        GenesisDocument compact = GenesisJson.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.Equal(Sample().Hash, compact.Hash);

        json["checkpointPeriod"] = 501;
        Assert.NotEqual(Sample().Hash, GenesisJson.Parse(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())).Hash);
    }

    [Fact]
    public void A_duplicate_replica_id_is_named()
    {
        JsonNode json = SampleJson();
        json["view"]!["members"]![2]!["id"] = 1;
        var e = Invalid(json);
        Assert.Contains("view.members[2].id: duplicate replica id 1 (also view.members[1])", e.Errors);
    }

    [Fact]
    public void A_duplicate_address_is_named()
    {
        JsonNode json = SampleJson();
        json["view"]!["members"]![1]!["port"] = json["view"]!["members"]![0]!["port"]!.GetValue<int>();
        var e = Invalid(json);
        Assert.Contains(e.Errors, m => m.StartsWith("view.members[1]: duplicate address 127.0.0.1:20000", StringComparison.Ordinal));
    }

    [Fact]
    public void Fewer_than_four_replicas_are_refused()
    {
        JsonNode json = JsonNode.Parse(GenesisJson.Serialize(Sample()))!;
        json["view"]!["members"]!.AsArray().RemoveAt(3);
        var e = Invalid(json);
        Assert.Contains(e.Errors, m => m.StartsWith("view.members: 3 replicas; a network needs at least 4", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz5a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]
    public void A_bad_replica_key_is_named(string key)
    {
        JsonNode json = SampleJson();
        json["view"]!["members"]![0]!["publicKey"] = key;
        Assert.Contains("view.members[0].publicKey: bad key: expected 64 hex digits (an Ed25519 public key)", Invalid(json).Errors);
    }

    [Fact]
    public void A_bad_minter_key_is_named()
    {
        JsonNode json = SampleJson();
        json["coin"]!["minters"]![0] = "nope";
        Assert.Contains(Invalid(json).Errors, m => m.StartsWith("coin.minters[0]: bad key", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_persistence_mode_is_named()
    {
        JsonNode json = SampleJson();
        json["persistence"] = "fast";
        Assert.Contains("persistence: unknown mode \"fast\" (expected \"strong\" or \"weak\")", Invalid(json).Errors);
    }

    [Fact]
    public void An_unknown_field_is_an_error_not_a_silently_ignored_setting()
    {
        JsonNode json = SampleJson();
        json["persistance"] = "weak";
        var e = Invalid(json);
        Assert.Contains(e.Errors, m => m.Contains("persistance", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_named_by_its_path()
    {
        JsonNode json = SampleJson();
        json["view"]!["members"]![1]!["port"] = "eighty";
        var e = Invalid(json);
        Assert.StartsWith("$.view.members[1].port:", e.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        JsonNode json = SampleJson();
        json.AsObject().Remove("chainId");
        json["view"]!["members"]![0]!["clientPort"] = 70000;
        json["consensus"]!["maxBatch"] = 0;
        json["checkpointPeriod"] = 0;
        var e = Invalid(json);
        Assert.Contains("chainId: missing", e.Errors);
        Assert.Contains("view.members[0].clientPort: 70000 is not a TCP port (1..65535)", e.Errors);
        Assert.Contains(e.Errors, m => m.StartsWith("consensus.maxBatch: 0 outside", StringComparison.Ordinal));
        Assert.Contains("checkpointPeriod: 0 must be at least 2 (every checkpointPeriod-th block is a checkpoint block)", e.Errors);
        Assert.Contains("4 problems", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_json_is_reported_as_such()
    {
        var e = Assert.Throws<GenesisException>(() => GenesisJson.Parse("{ nope"u8));
        Assert.StartsWith("$", e.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_missing_file_names_it()
    {
        var e = Assert.Throws<GenesisException>(() => GenesisJson.Load("/nonexistent/genesis.json"));
        Assert.Contains("/nonexistent/genesis.json", e.Message, StringComparison.Ordinal);
    }
}
