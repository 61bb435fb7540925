using BenchmarkDotNet.Attributes;

namespace WeChatAssist.Policy.Benchmarks;

/// <summary>One quote should cost well under a microsecond and allocate only its result.</summary>
[MemoryDiagnoser]
public class QuoteBenchmarks
{
    private InsurancePolicy _pengshui = null!;
    private InsurancePolicy _wenxi = null!;
    private ResidentFacts _dibaoTierOne = null!;
    private ResidentFacts _ordinaryTierOne = null!;
    private ResidentFacts _lastYearPayer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = PolicyCatalog.LoadShipped();
        _pengshui = catalog.Get("pengshui-2024");
        _wenxi = catalog.Get("wenxi-2024");
        _dibaoTierOne = new ResidentFacts { Categories = ["dibao"], Tier = 1 };
        _ordinaryTierOne = new ResidentFacts { Tier = 1 };
        _lastYearPayer = new ResidentFacts { PaidLastYear = true };
    }

    [Benchmark(Baseline = true)]
    public PolicyQuote Dibao_tier_one_in_window() => _pengshui.Quote(_dibaoTierOne, new DateOnly(2023, 11, 1));

    [Benchmark]
    public PolicyQuote Late_payer_after_July_pays_1020() => _pengshui.Quote(_ordinaryTierOne, new DateOnly(2024, 7, 15));

    [Benchmark]
    public PolicyQuote Wenxi_late_payer_on_a_reconciliation_day() => _wenxi.Quote(_lastYearPayer, new DateOnly(2024, 2, 27));
}
