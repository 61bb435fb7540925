using System.Text.RegularExpressions;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>How residents ask for a figure, read the same way by the engine's routing and by the clause answers.</summary>
internal static partial class AskedFigure
{
    /// <summary>"好多钱", "交多少", "要几百": an amount is asked ("好多年", "多少次", "好多人", "多少个" count something else).</summary>
    [GeneratedRegex(@"多少(?![年天人次遍个])|好多(?![年天人次遍个])|几多|多钱|交几|要几|几块|几百")]
    public static partial Regex Amount();

    /// <summary>"这医保咋交", "我们这种怎么交": how to pay asked without naming a way or a place to pay.</summary>
    [GeneratedRegex(@"^(?!.*(微信|支付宝|手机|网上|线上|银行|哪里|哪儿|哪个|去哪|在哪|现金|APP|app|公众号|小程序)).*(咋个?交|怎么交|怎样交|如何交)")]
    public static partial Regex HowGroupPays();

    /// <summary>"几月份以后", "哪天之后", "从什么时候起": from which day or month something holds is asked.</summary>
    [GeneratedRegex(@"(?:哪天|哪一天|几号|几月|什么时候|啥时候|好久|多会)(?:份)?(?:以后|之后|后|开始|起)")]
    public static partial Regex StartDay();

    /// <summary>"百分之多少", "补几成", "比例": a share is asked (of a group's contribution, what is paid for it).</summary>
    [GeneratedRegex(@"百分之|百分比|比例|几成|%|％")]
    public static partial Regex Share();
}
