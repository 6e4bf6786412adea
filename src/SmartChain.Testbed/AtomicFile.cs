namespace SmartChain.Testbed;

/// <summary>Writes a whole file so readers see either the old or the new contents, never a torn one.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string contents)
    {
        string temp = $"{path}.tmp-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
