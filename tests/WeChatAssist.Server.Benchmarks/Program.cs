using BenchmarkDotNet.Running;
using WeChatAssist.Server.Benchmarks;

// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- --filter '*Chat*' --job short --inProcess
// (in-process: the server's ASP.NET framework reference does not carry over to BenchmarkDotNet's generated project)
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- webhook-load --url http://127.0.0.1:5080/wechat/load --rate 500 --seconds 60
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- console-load --url http://127.0.0.1:5090 --password … --connection "Host=…;Database=…" --import 10000
if (args.Length > 0 && args[0] == "console-load")
{
    return await ConsoleLoad.RunAsync(args);
}

if (args.Length > 0 && args[0] == "webhook-load")
{
    return await WebhookLoad.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(ChatBenchmarks).Assembly).Run(args);
return 0;
