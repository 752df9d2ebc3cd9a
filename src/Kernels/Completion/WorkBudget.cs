namespace Engine.Kernels.Completion;

/// <summary>
/// A deterministic allowance of work (word operations and multiply-adds, counted by the caller), so a search that
/// may explode stops at the same point on every machine and thread count.
/// </summary>
internal sealed class WorkBudget(double limit)
{
    public double Limit { get; } = limit;

    public double Spent { get; private set; }

    public bool Exhausted => Spent > Limit;

    /// <summary>Counts <paramref name="units"/> as spent; false once the budget is exceeded.</summary>
    public bool Spend(double units)
    {
        Spent += units;
        return Spent <= Limit;
    }
}
