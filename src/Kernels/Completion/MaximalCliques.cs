using System.Numerics;

namespace Engine.Kernels.Completion;

/// <summary>
/// The maximal cliques of an undirected graph, exactly: the Bron–Kerbosch enumeration with Tomita's pivot rule
/// (branch only on the candidates that are not neighbours of the pivot, the vertex of P ∪ X with the most
/// neighbours in P), which lists each maximal clique once and runs in O(3^(n/3)) in the worst case and fast on
/// the sparse observation graphs of matrix completion.
/// </summary>
/// <remarks>
/// <para>Vertex sets are bit sets of 64-bit words, so set operations are word-wide.</para>
/// <para>A dense graph can have astronomically many maximal cliques (a random graph on 100 vertices with edge
/// probability 0.95 has about 10^9), so <see cref="Enumerate"/> hands each clique to its caller as it is found,
/// keeps none, and stops when the caller says so or when the work it was given is spent.</para>
/// </remarks>
internal static class MaximalCliques
{
    /// <summary>
    /// The maximal cliques of the graph on <paramref name="n"/> vertices restricted to the vertices with
    /// <paramref name="include"/> set; <paramref name="adjacent"/>(i, j) must be symmetric. Each clique is sorted.
    /// </summary>
    public static List<int[]> Find(int n, Func<int, bool> include, Func<int, int, bool> adjacent)
    {
        var cliques = new List<int[]>();
        Enumerate(n, include, adjacent, clique =>
        {
            cliques.Add(clique);
            return true;
        }, new WorkBudget(double.PositiveInfinity));
        return cliques;
    }

    /// <summary>
    /// Hands every maximal clique (sorted, in the order of <see cref="Find"/>) to <paramref name="visit"/>, which
    /// returns false to stop. Each node of the search spends its word operations from <paramref name="budget"/>
    /// (the pivot scan: one word per word of the bit sets for every member of P ∪ X), and the search stops once the
    /// budget is spent.
    /// </summary>
    /// <returns>True when every maximal clique was visited.</returns>
    public static bool Enumerate(int n, Func<int, bool> include, Func<int, int, bool> adjacent, Func<int[], bool> visit, WorkBudget budget) =>
        new Graph(n, include, adjacent, budget).Enumerate(visit, budget);

    /// <summary>The graph as bit sets, for an enumeration and for cliques grown around a vertex.</summary>
    internal sealed class Graph
    {
        private readonly ulong[][] _neighbours;
        private readonly ulong[] _vertices;

        public Graph(int n, Func<int, bool> include, Func<int, int, bool> adjacent, WorkBudget budget)
        {
            int words = (n + 63) / 64;
            _neighbours = new ulong[n][];
            _vertices = new ulong[words];
            for (int i = 0; i < n; i++)
            {
                _neighbours[i] = new ulong[words];
                if (!include(i)) continue;
                _vertices[i >> 6] |= 1UL << (i & 63);
                for (int j = 0; j < n; j++)
                    if (j != i && include(j) && adjacent(i, j)) _neighbours[i][j >> 6] |= 1UL << (j & 63);
            }
            budget.Spend((double)n * n);
        }

        /// <summary>The included vertices, in increasing order.</summary>
        public List<int> Vertices => Members(_vertices);

        /// <inheritdoc cref="MaximalCliques.Enumerate"/>
        public bool Enumerate(Func<int[], bool> visit, WorkBudget budget) =>
            !budget.Exhausted && new Search(_neighbours, visit, budget).Extend(new List<int>(), (ulong[])_vertices.Clone(), new ulong[_vertices.Length]);

        /// <summary>
        /// A maximal clique containing the included vertex <paramref name="v"/>, grown greedily: first from
        /// <paramref name="preferred"/> in its order, then from the other vertices in increasing order. Sorted.
        /// </summary>
        public int[] Grow(int v, IReadOnlyList<int> preferred, WorkBudget budget)
        {
            var clique = new List<int> { v };
            var candidates = (ulong[])_neighbours[v].Clone();
            budget.Spend((double)(preferred.Count + 1) * candidates.Length);
            foreach (int u in preferred) Take(u);
            foreach (int u in Members(candidates)) Take(u);
            int[] sorted = [.. clique];
            Array.Sort(sorted);
            return sorted;

            void Take(int u)
            {
                if ((candidates[u >> 6] & (1UL << (u & 63))) == 0) return;
                clique.Add(u);
                ulong[] nu = _neighbours[u];
                for (int w = 0; w < candidates.Length; w++) candidates[w] &= nu[w];
            }
        }
    }

    private sealed class Search(ulong[][] neighbours, Func<int[], bool> visit, WorkBudget budget)
    {
        /// <summary>Extends <paramref name="clique"/> by P with X excluded; false once the search is to stop.</summary>
        public bool Extend(List<int> clique, ulong[] p, ulong[] x)
        {
            if (IsEmpty(p))
            {
                if (!IsEmpty(x) || clique.Count == 0) return true;
                int[] found = [.. clique];
                Array.Sort(found);
                return visit(found) && !budget.Exhausted;
            }
            List<int> inP = Members(p), inX = Members(x);
            if (!budget.Spend((double)(1 + inP.Count + inX.Count) * p.Length)) return false;
            int pivot = -1, most = -1;
            foreach (List<int> set in new[] { inP, inX })
                foreach (int u in set)
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
                bool go = Extend(clique, p2, x2);
                clique.RemoveAt(clique.Count - 1);
                if (!go) return false;
                p[v >> 6] &= ~(1UL << (v & 63));
                x[v >> 6] |= 1UL << (v & 63);
            }
            return true;
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
