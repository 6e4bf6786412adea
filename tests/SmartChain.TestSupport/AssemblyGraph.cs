using System.Reflection;

namespace SmartChain.TestSupport;

/// <summary>The built project graph, for tests that check what an assembly carries.</summary>
public static class AssemblyGraph
{
    /// <summary>The SmartChain assemblies <paramref name="root"/> references, directly or through others (what loads with it), itself included.</summary>
    public static IReadOnlyList<Assembly> Closure(Assembly root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var seen = new Dictionary<string, Assembly> { [root.GetName().Name!] = root };
        var next = new Queue<Assembly>([root]);
        while (next.TryDequeue(out Assembly? assembly))
        {
            foreach (AssemblyName name in assembly.GetReferencedAssemblies())
            {
                if (name.Name!.StartsWith("SmartChain.", StringComparison.Ordinal) && !seen.ContainsKey(name.Name))
                {
                    Assembly loaded = Assembly.Load(name);
                    seen[name.Name] = loaded;
                    next.Enqueue(loaded);
                }
            }
        }

        return [.. seen.Values];
    }

    /// <summary>The names of <see cref="Closure"/>.</summary>
    public static IReadOnlyList<string> NamesOf(Assembly root) => [.. Closure(root).Select(a => a.GetName().Name!)];
}
