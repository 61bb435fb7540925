using BenchmarkDotNet.Attributes;

namespace WeChatAssist.Policy.Benchmarks;

/// <summary>Loading and validating the four shipped policies should take well under 50 ms.</summary>
[MemoryDiagnoser]
public class LoadBenchmarks
{
    [Benchmark]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
    public PolicyCatalog Load_and_validate_the_four_shipped_policies() => PolicyCatalog.LoadShipped();
}
