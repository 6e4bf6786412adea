using SmartChain.Core.Crypto;

namespace SmartChain.Cli.Tests;

public class KeysCommandTests
{
    [Fact]
    public void Keys_new_writes_a_private_file_and_prints_its_public_key()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("wallet.key");
        CliRun run = CliRun.InProcess("keys", "new", "--out", path);

        Assert.Equal(0, run.ExitCode);
        using Ed25519KeyPair key = KeyFile.Load(path);
        Assert.Equal(key.PublicKey.ToString(), run.Output.Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key.PublicKey.ToString(), CliRun.InProcess("keys", "show", "--key", path).Output.Trim());
    }

    [Fact]
    public async Task Keys_new_into_a_missing_folder_fails_with_one_line_and_no_stack_trace()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("missing", "wallet.key");
        CliRun run = await CliRun.AsProcessAsync("keys", "new", "--out", path);

        Assert.NotEqual(0, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: cannot write key file {path}: folder {dir.Combine("missing")} does not exist", line);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_world_readable_key_file_is_refused_with_one_line_and_no_stack_trace()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("wallet.key");
        Assert.Equal(0, CliRun.InProcess("keys", "new", "--out", path).ExitCode);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.GroupRead);

        CliRun run = await CliRun.AsProcessAsync("keys", "show", "--key", path);
        Assert.NotEqual(0, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: key file {path} is accessible by other users (mode 0644); restrict it with 'chmod 600 {path}'", line);
    }

    [Fact]
    public void Keys_new_never_overwrites_a_key()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("wallet.key");
        CliRun first = CliRun.InProcess("keys", "new", "--out", path);
        CliRun second = CliRun.InProcess("keys", "new", "--out", path);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already exists", second.Error, StringComparison.Ordinal);
        using Ed25519KeyPair key = KeyFile.Load(path);
        Assert.Equal(first.Output.Trim(), key.PublicKey.ToString());
    }

    [Fact]
    public void Every_command_has_help()
    {
        foreach (string[] command in (string[][])[[], ["keys"], ["keys", "new"], ["keys", "show"], ["testnet"], ["testnet", "init"], ["testnet", "start"], ["testnet", "stop"],
            ["node"], ["node", "run"], ["coin"], ["coin", "mint"], ["coin", "spend"], ["coin", "balance"], ["coin", "coins"]])
        {
            CliRun run = CliRun.InProcess([.. command, "--help"]);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
            Assert.Contains("Description:", run.Output, StringComparison.Ordinal);
        }
    }
}
