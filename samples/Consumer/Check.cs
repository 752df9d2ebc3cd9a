namespace Engine.Consumer;

/// <summary>One thing the consumer checks about the packages: its name, the verdict, and the numbers behind it.</summary>
public sealed record Check(string Name, bool Passed, string Detail);
