using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.Demo;

/// <summary><c>Demo:*</c>: the demo county Development generates on an empty database.</summary>
internal sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Residents of the 彭水 demo county generated in the background at the first Development start; 0 skips.</summary>
    [Range(0, 1_000_000)]
    public int AutoResidents { get; set; } = 20_000;

    /// <summary>The policy whose county is generated.</summary>
    [Required]
    public string AutoPolicyId { get; set; } = "pengshui-2024";
}
