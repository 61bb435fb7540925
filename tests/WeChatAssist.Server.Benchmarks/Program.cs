using BenchmarkDotNet.Running;
using WeChatAssist.Server.Benchmarks;

// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- --filter '*Chat*' --job short --inProcess
// (in-process: the server's ASP.NET framework reference does not carry over to BenchmarkDotNet's generated project)
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- webhook-load --url http://127.0.0.1:5080/wechat/load --rate 500 --seconds 60
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- import-load --connection "Host=127.0.0.1;Port=55991;Username=postgres;Database=bench_imports" --rows 500000
if (args.Length > 0 && args[0] == "import-load")
{
    return await ImportLoad.RunAsync(args);
}

// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- reminders-load --postgres "Host=127.0.0.1;Port=55991;Username=postgres" --residents 1000000
if (args.Length > 0 && args[0] == ReminderLoad.Verb)
{
    return await ReminderLoad.RunAsync(args);
}

// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- jobs-latency --storage sqlite --seconds 120
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- jobs-latency --storage postgres --postgres "Host=127.0.0.1;Port=55991;Username=postgres" --seconds 120
if (args.Length > 0 && args[0] == JobLatency.Verb)
{
    return await JobLatency.RunAsync(args);
}

// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- console-load --url http://127.0.0.1:5090 --password … --connection "Host=…;Database=…" --import 10000
if (args.Length > 0 && args[0] == "console-load")
{
    return await ConsoleLoad.RunAsync(args);
}

// tests/WeChatAssist.Server.Benchmarks/telemetry-cost.sh (a throwaway PostgreSQL, a Release publish, then)
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- telemetry-cost --server <publish>/WeChatAssist.Server.dll --postgres "Host=…" --rounds 8 --seconds 10
if (args.Length > 0 && args[0] == TelemetryCost.Verb)
{
    return await TelemetryCost.RunAsync(args);
}

if (args.Length > 0 && args[0] == "webhook-load")
{
    return await WebhookLoad.RunAsync(args);
}

// Server: Development on PostgreSQL with fixed personal-data keys (see src/WeChatAssist.Server/MiniProgram/README.md), then
// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- miniprogram-load --url http://127.0.0.1:5080/ --rate 200 --seconds 30
if (args.Length > 0 && args[0] == "miniprogram-load")
{
    return await MiniProgramLoad.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(ChatBenchmarks).Assembly).Run(args);
return 0;
