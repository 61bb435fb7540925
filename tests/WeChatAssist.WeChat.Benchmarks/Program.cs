using System.Globalization;
using BenchmarkDotNet.Running;
using WeChatAssist.WeChat.Benchmarks;

// Micro-benchmarks: dotnet run -c Release --project <this project> -- --filter '*SafeMode*' --job short
// Webhook vs bare Kestrel: dotnet run -c Release --project <this project> -- throughput [seconds] [concurrency] [rounds]
if (args.Length > 0 && args[0] == "throughput")
{
    var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
    var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
    await WebhookThroughput.RunAsync(TimeSpan.FromSeconds(seconds), concurrency, rounds);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SafeModeRoundTripBenchmarks).Assembly).Run(args);
