namespace WeChatAssist.Server.Demo;

/// <summary>What demo county to generate: residents of <paramref name="PolicyId"/>'s county, a share of them bound to a
/// WeChat user of <paramref name="AppId"/> and a share already paid by the business date.</summary>
/// <param name="PolicyId">The policy whose townships, categories and collection window shape the residents.</param>
/// <param name="Residents">How many residents to create.</param>
/// <param name="AppId">The county account's app id for the bindings, or <see langword="null"/> for none.</param>
/// <param name="Seed">The random seed: the same seed on an empty database gives the same county.</param>
/// <param name="BoundShare">The share of residents with a bound WeChat user (0–1).</param>
/// <param name="PaidShare">The share of residents who have paid, when the collection has begun (0–1).</param>
internal sealed record DemoCountyRequest(string PolicyId, int Residents, string? AppId, int Seed = 1, double BoundShare = 0.35, double PaidShare = 0.45);

/// <summary>What the generator wrote.</summary>
internal sealed record DemoCountySummary(int Residents, int Townships, int Villages, int Bound, int Paid, TimeSpan Elapsed);
