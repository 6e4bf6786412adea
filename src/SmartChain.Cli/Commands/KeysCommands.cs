using System.CommandLine;
using SmartChain.Core.Crypto;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain keys</c>: create and inspect Ed25519 key files.</summary>
internal static class KeysCommands
{
    public static Command Create()
    {
        var keys = new Command("keys", "Create and inspect Ed25519 key files (client wallets, replica identities).");
        keys.Add(CreateNew());
        keys.Add(CreateShow());
        return keys;
    }

    private static Command CreateNew()
    {
        var outOption = new Option<FileInfo>("--out", "-o")
        {
            Description = "Path of the key file to create. Its folder must exist; an existing file is never overwritten.",
            Required = true,
        };
        var command = new Command("new", "Generate a key pair, write it to a new file readable only by you (mode 0600), print the public key.")
        {
            outOption,
        };
        CommandRunner.SetAction(command, (parse, output) =>
        {
            FileInfo file = parse.GetRequiredValue(outOption);
            using Ed25519KeyPair pair = Ed25519KeyPair.Generate();
            KeyFile.Save(pair, file.FullName);
            output.WriteLine(pair.PublicKey.ToString());
            return CommandRunner.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var keyOption = new Option<FileInfo>("--key", "-k")
        {
            Description = "Key file to read. It must be readable by its owner only (chmod 600).",
            Required = true,
            CustomParser = CliParsers.ExistingFile,
        };
        var command = new Command("show", "Check a key file and print its public key.") { keyOption };
        CommandRunner.SetAction(command, (parse, output) =>
        {
            using Ed25519KeyPair pair = KeyFile.Load(parse.GetRequiredValue(keyOption).FullName);
            output.WriteLine(pair.PublicKey.ToString());
            return CommandRunner.Success;
        });
        return command;
    }
}
