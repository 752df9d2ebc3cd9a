using System.Numerics;

namespace Engine.Kernels.Completion;

/// <summary>
/// Every maximal clique of an undirected graph, exactly: the Bron–Kerbosch enumeration with Tomita's pivot rule
/// (branch only on the candidates that are not neighbours of the pivot, the vertex of P ∪ X with the most
/// neighbours in P), which lists each maximal clique once and runs in O(3^(n/3)) in the worst case and fast on
/// the sparse observation graphs of matrix completion.
/// </summary>
/// <remarks>Vertex sets are bit sets of 64-bit words, so set operations are word-wide.</remarks>
internal static class MaximalCliques
{
    /// <summary>
    /// The maximal cliques of the graph on <paramref name="n"/> vertices restricted to the vertices with
    /// <paramref name="include"/> set; <paramref name="adjacent"/>(i, j) must be symmetric. Each clique is sorted.
    /// </summary>
    public static List<int[]> Find(int n, Func<int, bool> include, Func<int, int, bool> adjacent)
    {
        int words = (n + 63) / 64;
        var neighbours = new ulong[n][];
        var candidates = new ulong[words];
        for (int i = 0; i < n; i++)
        {
            neighbours[i] = new ulong[words];
            if (!include(i)) continue;
            candidates[i >> 6] |= 1UL << (i & 63);
            for (int j = 0; j < n; j++)
                if (j != i && include(j) && adjacent(i, j)) neighbours[i][j >> 6] |= 1UL << (j & 63);
        }
        var cliques = new List<int[]>();
        Extend(new List<int>(), candidates, new ulong[words], neighbours, cliques);
        return cliques;
    }

    private static void Extend(List<int> clique, ulong[] p, ulong[] x, ulong[][] neighbours, List<int[]> cliques)
    {
        if (IsEmpty(p))
        {
            if (IsEmpty(x) && clique.Count > 0)
            {
                int[] found = [.. clique];
                Array.Sort(found);
                cliques.Add(found);
            }
            return;
        }
        int pivot = -1, most = -1;
        foreach (ulong[] set in new[] { p, x })
            foreach (int u in Members(set))
            {
                int count = CountAnd(p, neighbours[u]);
                if (count > most) { most = count; pivot = u; }
            }

        var branch = new ulong[p.Length];
        for (int w = 0; w < p.Length; w++) branch[w] = p[w] & ~neighbours[pivot][w];
        foreach (int v in Members(branch))
        {
            ulong[] nv = neighbours[v];
            var p2 = new ulong[p.Length];
            var x2 = new ulong[p.Length];
            for (int w = 0; w < p.Length; w++)
            {
                p2[w] = p[w] & nv[w];
                x2[w] = x[w] & nv[w];
            }
            clique.Add(v);
            Extend(clique, p2, x2, neighbours, cliques);
            clique.RemoveAt(clique.Count - 1);
            p[v >> 6] &= ~(1UL << (v & 63));
            x[v >> 6] |= 1UL << (v & 63);
        }
    }

    private static bool IsEmpty(ulong[] set)
    {
        foreach (ulong w in set)
            if (w != 0) return false;
        return true;
    }

    private static int CountAnd(ulong[] a, ulong[] b)
    {
        int count = 0;
        for (int w = 0; w < a.Length; w++) count += BitOperations.PopCount(a[w] & b[w]);
        return count;
    }

    // A snapshot of the members, so the caller may change the set while iterating.
    private static List<int> Members(ulong[] set)
    {
        var members = new List<int>();
        for (int w = 0; w < set.Length; w++)
        {
            ulong bits = set[w];
            while (bits != 0)
            {
                int b = BitOperations.TrailingZeroCount(bits);
                members.Add(w * 64 + b);
                bits &= bits - 1;
            }
        }
        return members;
    }
}
