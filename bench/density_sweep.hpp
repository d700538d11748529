// `bench_density --sweep`: the density run at several cluster sizes and core counts, each
// point a child process of its own (peak RSS is per process), collected into a table and a
// gnuplot PNG under the results directory (bench/run passes bench/results/).
#pragma once

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace kactor::bench {

struct SweepOptions {
  std::vector<size_t> nodes{1000, 2000, 5000};
  int32_t pods_per_node = 30;
  /// Core counts for the scaling runs at `core_nodes` nodes; empty: 1, 2, 4, ... up to all.
  std::vector<int> cores;
  size_t core_nodes = 1000;
  int all_cores = 1;
  int timeout_s = 600;
  std::filesystem::path results_dir = "bench/results";
};

/// One density run as its `density:` line reported it (key → value).
struct SweepPoint {
  std::map<std::string, std::string> fields;
  std::string get(const std::string& k) const {
    auto it = fields.find(k);
    return it == fields.end() ? "?" : it->second;
  }
};

/// The fields of a `density: k=v k=v ...` line; nullopt for any other line.
inline std::optional<SweepPoint> parse_density_line(const std::string& line) {
  static const std::string prefix = "density: ";
  if (line.rfind(prefix, 0) != 0) return std::nullopt;
  SweepPoint p;
  std::istringstream in(line.substr(prefix.size()));
  for (std::string kv; in >> kv;)
    if (auto eq = kv.find('='); eq != std::string::npos) p.fields[kv.substr(0, eq)] = kv.substr(eq + 1);
  return p;
}

/// Runs `exe args...`, echoing its output, and returns its last `density:` line.
inline std::optional<SweepPoint> run_density_child(const std::string& exe,
                                                   const std::vector<std::string>& args) {
  std::string cmd = "'" + exe + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  std::printf("+ %s\n", cmd.c_str());
  std::fflush(stdout);
  FILE* out = popen(cmd.c_str(), "r");
  if (!out) return std::nullopt;
  std::optional<SweepPoint> last;
  char buf[4096];
  while (std::fgets(buf, sizeof(buf), out)) {
    std::fputs(buf, stdout);
    std::fflush(stdout);
    std::string line(buf);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (auto p = parse_density_line(line)) last = std::move(p);
  }
  if (pclose(out) != 0) return std::nullopt;
  return last;
}

inline std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

/// The sweep: writes density-sweep.md (the table), density-sweep.tsv and density-sweep.gp,
/// and density-sweep.png when gnuplot is installed; prints a `density-sweep:` last line.
inline int run_sweep(const std::string& exe, SweepOptions o) {
  if (o.cores.empty()) {
    for (int c = 1; c <= o.all_cores; c *= 2) o.cores.push_back(c);
    if (o.cores.back() != o.all_cores) o.cores.push_back(o.all_cores);
  }
  auto point = [&](size_t nodes, int cores) {
    return run_density_child(exe, {"--nodes", std::to_string(nodes), "--pods",
                                   std::to_string(static_cast<int64_t>(nodes) * o.pods_per_node),
                                   "--cores", std::to_string(cores), "--timeout-s",
                                   std::to_string(o.timeout_s)});
  };
  std::vector<SweepPoint> by_nodes, by_cores;
  for (size_t n : o.nodes) {
    auto p = point(n, o.all_cores);
    if (!p) {
      std::fprintf(stderr, "density run at %zu nodes failed\n", n);
      return 1;
    }
    by_nodes.push_back(*p);
  }
  for (int c : o.cores) {
    // The all-cores point at core_nodes nodes is already measured when the node sweep has it.
    auto same = std::find_if(by_nodes.begin(), by_nodes.end(), [&](const SweepPoint& p) {
      return p.get("nodes") == std::to_string(o.core_nodes) && c == o.all_cores;
    });
    auto p = same != by_nodes.end() ? std::optional<SweepPoint>(*same) : point(o.core_nodes, c);
    if (!p) {
      std::fprintf(stderr, "density run on %d cores failed\n", c);
      return 1;
    }
    by_cores.push_back(*p);
  }

  std::filesystem::create_directories(o.results_dir);
  const auto md = o.results_dir / "density-sweep.md";
  const auto tsv = o.results_dir / "density-sweep.tsv";
  const auto gp = o.results_dir / "density-sweep.gp";
  const auto png = o.results_dir / "density-sweep.png";
  static const char* cols[] = {"nodes",       "pods",       "cores",     "pods_per_s",
                               "p50_ms",      "p99_ms",     "peak_rss_mb", "node_bytes",
                               "pod_bytes",   "sched_pods_per_s"};
  {
    std::ofstream f(md);
    f << "# bench_density --sweep (" << o.all_cores << " CPUs allowed, " << o.pods_per_node
      << " pods per node)\n\n";
    for (auto* table : {&by_nodes, &by_cores}) {
      f << (table == &by_nodes ? "## Against nodes (all cores)\n\n|" : "\n## Against cores\n\n|");
      for (auto* c : cols) f << ' ' << c << " |";
      f << "\n|";
      for (size_t i = 0; i < std::size(cols); ++i) f << "---|";
      f << '\n';
      for (const auto& p : *table) {
        f << '|';
        for (auto* c : cols) f << ' ' << p.get(c) << " |";
        f << '\n';
      }
    }
  }
  {
    // Two gnuplot data blocks (index 0: against nodes, index 1: against cores).
    std::ofstream f(tsv);
    for (auto* table : {&by_nodes, &by_cores}) {
      f << '#';
      for (auto* c : cols) f << c << '\t';
      f << '\n';
      for (const auto& p : *table) {
        for (auto* c : cols) f << p.get(c) << '\t';
        f << '\n';
      }
      f << "\n\n";
    }
  }
  {
    std::ofstream f(gp);
    f << "set terminal pngcairo size 1200,450\n"
      << "set output '" << png.filename().string() << "'\n"
      << "set multiplot layout 1,2\n"
      << "set title 'density against nodes (" << o.pods_per_node << " pods per node, "
      << o.all_cores << " cores)'\n"
      << "set xlabel 'nodes'\nset ylabel 'pods/s'\nset y2label 'peak RSS (MB)'\n"
      << "set ytics nomirror\nset y2tics\nset key top left\n"
      << "plot '" << tsv.filename().string() << "' index 0 using 1:4 with linespoints title 'pods/s', "
      << "'' index 0 using 1:7 axes x1y2 with linespoints title 'peak RSS MB'\n"
      << "set title 'density against cores (" << o.core_nodes << " nodes)'\n"
      << "set xlabel 'cores'\nunset y2label\nunset y2tics\n"
      << "plot '" << tsv.filename().string() << "' index 1 using 3:4 with linespoints title 'pods/s'\n"
      << "unset multiplot\n";
  }
  bool plotted = false;
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0)
    // The script names its files relative to the results directory, where it runs.
    plotted = std::system(("cd '" + o.results_dir.string() + "' && gnuplot '" +
                           gp.filename().string() + "'").c_str()) == 0;
  std::printf("wrote %s, %s, %s%s\n", md.string().c_str(), tsv.string().c_str(),
              gp.string().c_str(),
              plotted ? (", " + png.string()).c_str() : " (no gnuplot: no PNG)");

  auto column = [](const std::vector<SweepPoint>& t, const char* k) {
    std::vector<std::string> v;
    for (const auto& p : t) v.push_back(p.get(k));
    return join(v);
  };
  std::printf(
      "density-sweep: nodes=%s pods_per_s=%s p99_ms=%s peak_rss_mb=%s node_bytes=%s "
      "pod_bytes=%s cores=%s cores_pods_per_s=%s\n",
      column(by_nodes, "nodes").c_str(), column(by_nodes, "pods_per_s").c_str(),
      column(by_nodes, "p99_ms").c_str(), column(by_nodes, "peak_rss_mb").c_str(),
      column(by_nodes, "node_bytes").c_str(), column(by_nodes, "pod_bytes").c_str(),
      column(by_cores, "cores").c_str(), column(by_cores, "pods_per_s").c_str());
  return 0;
}

}  // namespace kactor::bench
