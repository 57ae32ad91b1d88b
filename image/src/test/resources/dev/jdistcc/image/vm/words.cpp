// Compiled through the appliance by the VM tests as the "under load" job: enough of the standard library that
// cc1plus needs a realistic amount of memory, small enough for a few jobs under QEMU's software emulation.
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

std::vector<std::pair<std::string, int>> word_counts(const std::string& text)
{
    std::map<std::string, int> counts;
    std::istringstream in(text);
    for (std::string w; in >> w;) {
        w.erase(std::remove_if(w.begin(), w.end(), [](unsigned char c) { return !std::isalnum(c); }), w.end());
        std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return std::tolower(c); });
        if (!w.empty()) {
            ++counts[w];
        }
    }
    std::vector<std::pair<std::string, int>> out(counts.begin(), counts.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}
