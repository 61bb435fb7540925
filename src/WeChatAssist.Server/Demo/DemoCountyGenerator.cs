using System.Globalization;
using System.Text;
using WeChatAssist.Policy;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Demo;

/// <summary>Fills the database with a realistic made-up county: residents spread over the townships of the policy's
/// target table (villages invented), categories in plausible shares, valid 身份证 numbers of the county's region code,
/// some bound WeChat users and some payments inside the collection window up to the business date.</summary>
/// <remarks>Deterministic for a seed on an empty registry. Amounts of the payments come from policy quotes. Payments are
/// written directly (source <c>demo</c>) rather than through <c>PaymentLedger</c>: a freshly generated county has nothing
/// for the ledger's participants to react to.</remarks>
internal sealed class DemoCountyGenerator(DemoCountyWriter writer, PolicyCatalog policies, DemoCountyData data)
{
    /// <summary>Generates and writes the county; refuses when the policy already has residents.</summary>
    public async Task<DemoCountySummary> GenerateAsync(DemoCountyRequest request, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var policy = policies.Find(request.PolicyId)
            ?? throw new ArgumentException($"Unknown policy '{request.PolicyId}'. Known: {string.Join(", ", policies.All.Select(p => p.Id))}.", nameof(request));
        if (request.Residents is < 1 or > 5_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Residents, "Residents must be between 1 and 5,000,000.");
        }

        if (request.BoundShare is < 0 or > 1 || request.PaidShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Shares must be between 0 and 1.");
        }

        if (!data.RegionCodes.TryGetValue(policy.Id, out var regionCode))
        {
            throw new ArgumentException($"No demo region code for policy '{policy.Id}' in demo-county.json.", nameof(request));
        }

        if (await writer.CountResidentsAsync(policy.Id, cancellationToken) > 0)
        {
            throw new InvalidOperationException($"The registry already holds residents of '{policy.Id}'; generate a demo county on an empty database.");
        }

        var villages = Villages(policy);
        var residents = Generate(policy, request, regionCode, villages, today);
        await writer.WriteAsync(policy, request.AppId, residents, cancellationToken);
        return new DemoCountySummary(
            residents.Count,
            villages.Select(v => v.Township).Distinct().Count(),
            villages.Count,
            residents.Count(r => r.OpenId is not null),
            residents.Count(r => r.PaidOn is not null),
            System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Villages with their share of the county, from the target table (or the configured townships).</summary>
    private List<(string Township, string Village, double Weight)> Villages(InsurancePolicy policy)
    {
        var townships = policy.Targets.Count > 0
            ? policy.Targets[0].Rows.Select(r => (r.Name, (double)r.Count)).ToList()
            : data.TownshipsWithoutTargets.TryGetValue(policy.Id, out var names) ? names.Select(n => (n, 1.0)).ToList()
            : throw new InvalidOperationException($"Policy '{policy.Id}' has no target table and demo-county.json names no townships for it.");
        var total = townships.Sum(t => t.Item2);
        var villages = new List<(string, string, double)>();
        var stem = 0;
        foreach (var (township, count) in townships)
        {
            var share = count / total;
            var villageCount = Math.Clamp((int)Math.Round(count / data.ResidentsPerVillage), 3, 25);
            var suffix = township.EndsWith("街道", StringComparison.Ordinal) ? "社区" : "村";
            for (var i = 0; i < villageCount; i++)
            {
                var name = data.VillageStems[stem++ % data.VillageStems.Length] + suffix;
                villages.Add((township, name, share / villageCount));
            }
        }

        return villages;
    }

    private List<DemoResident> Generate(InsurancePolicy policy, DemoCountyRequest request, string regionCode, List<(string Township, string Village, double Weight)> villages, DateOnly today)
    {
        var random = new Random(request.Seed);
        var villagePicker = new WeightedPicker<(string Township, string Village)>(villages.Select(v => ((v.Township, v.Village), v.Weight)));
        var categoryPicker = new WeightedPicker<string?>(
            policy.Categories.Select(c => ((string?)c.Code, data.CategoryShares.GetValueOrDefault(c.Code, data.OtherCategoryShare)))
                .Append((null, 1 - policy.Categories.Sum(c => data.CategoryShares.GetValueOrDefault(c.Code, data.OtherCategoryShare)))));
        var agePicker = new WeightedPicker<AgeBand>(data.AgeBands.Select(b => (b, (double)b.Weight)));
        var window = policy.CollectionWindow;

        // Ages as at the start of collection, so nobody is born after the day they paid.
        var ageReference = today < window.From ? today : window.From;
        var lastPaidDay = today < window.To ? today : window.To;
        var payingDays = lastPaidDay.DayNumber - window.From.DayNumber + 1;
        var usedSequences = new Dictionary<DateOnly, int>();
        var residents = new List<DemoResident>(request.Residents);
        var openIdBytes = new byte[20];
        for (var i = 0; i < request.Residents; i++)
        {
            var (township, village) = villagePicker.Pick(random);
            var band = agePicker.Pick(random);
            var birth = ageReference.AddYears(-band.From).AddDays(-random.Next(365 * (band.To - band.From + 1)));
            var idNumber = IdNumber(regionCode, ref birth, usedSequences, random);
            var name = Name(random);
            var category = categoryPicker.Pick(random);

            string? openId = null;
            if (request.AppId is not null && random.NextDouble() < request.BoundShare)
            {
                random.NextBytes(openIdBytes);
                openId = "o" + Convert.ToBase64String(openIdBytes)[..27].Replace('+', '-').Replace('/', '_');
            }

            DateOnly? paidOn = null;
            long? amount = null;
            if (payingDays > 0 && random.NextDouble() < request.PaidShare)
            {
                var day = window.From.AddDays(random.Next(payingDays));
                var quote = policy.Quote(new ResidentFacts { Categories = category is null ? [] : [category], BirthDate = birth, Tier = policy.Tiers[0].Number }, day);
                if (quote.Payable)
                {
                    paidOn = day;
                    amount = quote.IndividualDueFen;
                }
            }

            residents.Add(new DemoResident(township, village, name, idNumber, birth, category, openId, paidOn, amount));
        }

        return residents;
    }

    private static string IdNumber(string regionCode, ref DateOnly birth, Dictionary<DateOnly, int> usedSequences, Random random)
    {
        // Three sequence digits give 999 people per birth day; a crowded day moves the person a day earlier.
        while (usedSequences.GetValueOrDefault(birth) >= 999)
        {
            birth = birth.AddDays(-1);
        }

        var sequence = usedSequences[birth] = usedSequences.GetValueOrDefault(birth) + 1 + (random.Next(4) == 0 ? 1 : 0);
        if (sequence > 999)
        {
            sequence = usedSequences[birth] = 999;
        }

        Span<char> digits = stackalloc char[18];
        regionCode.AsSpan().CopyTo(digits);
        birth.TryFormat(digits[6..], out _, "yyyyMMdd", CultureInfo.InvariantCulture);
        sequence.TryFormat(digits[14..], out _, "000", CultureInfo.InvariantCulture);
        digits[17] = ResidentIdNumber.CheckCharacter(digits[..17]);
        return new string(digits);
    }

    private string Name(Random random)
    {
        var builder = new StringBuilder(3);
        builder.Append(data.Surnames[random.Next(data.Surnames.Length)]);
        var given = random.Next(10) < 7 ? 2 : 1;
        for (var i = 0; i < given; i++)
        {
            builder.Append(data.GivenNameCharacters[random.Next(data.GivenNameCharacters.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>Picks items in proportion to their weights (negative weights count as zero).</summary>
    private sealed class WeightedPicker<T>
    {
        private readonly T[] _items;
        private readonly double[] _cumulative;

        public WeightedPicker(IEnumerable<(T Item, double Weight)> weighted)
        {
            var list = weighted.Where(w => w.Weight > 0).ToList();
            _items = list.Select(w => w.Item).ToArray();
            _cumulative = new double[list.Count];
            var sum = 0.0;
            for (var i = 0; i < list.Count; i++)
            {
                sum += list[i].Weight;
                _cumulative[i] = sum;
            }
        }

        public T Pick(Random random)
        {
            var at = Array.BinarySearch(_cumulative, random.NextDouble() * _cumulative[^1]);
            return _items[Math.Min(at < 0 ? ~at : at, _items.Length - 1)];
        }
    }
}
