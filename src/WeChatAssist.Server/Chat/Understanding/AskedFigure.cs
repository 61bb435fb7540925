using System.Text.RegularExpressions;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>How residents ask for a figure, read the same way by the engine's routing and by the clause answers.</summary>
internal static partial class AskedFigure
{
    /// <summary>"好多钱", "交多少", "要几百": an amount is asked ("好多年", "多少次", "好多人", "多少个" count something else).</summary>
    [GeneratedRegex(@"多少(?![年天人次遍个])|好多(?![年天人次遍个])|几多|多钱|交几|要几|几块|几百")]
    public static partial Regex Amount();
}
