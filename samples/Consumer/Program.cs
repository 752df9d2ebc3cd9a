using Engine.Consumer;

// Each check prints what it measured and whether that is what the library promises; the exit code is the number of
// checks that failed (0 when all pass), so a script sees any failure.
Check[] checks = [.. GradientCheckDemo.Run(), .. ImplicitL1Demo.Run(), .. SgdDemo.Run()];
foreach (Check check in checks)
    Console.WriteLine($"{(check.Passed ? "ok  " : "FAIL")} {check.Name}: {check.Detail}");
int failed = checks.Count(c => !c.Passed);
Console.WriteLine($"{checks.Length - failed} of {checks.Length} checks passed");
return failed;
