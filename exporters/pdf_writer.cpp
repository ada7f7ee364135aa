#include "exporters/pdf_writer.hpp"

#include <algorithm>
#include <cairo-pdf.h>
#include <cairo.h>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fmt/format.h>
#include <map>
#include <string_view>
#include <unordered_set>
#include <pango/pangocairo.h>

#include "core/iso_time.hpp"
#include "core/build_info.hpp"
#include "core/errors.hpp"
#include "core/module.hpp"
#include "core/module_abi.h"

namespace spotctl::exporters {

std::string group_thousands(const std::string& number) {
    std::size_t start = (!number.empty() && (number[0] == '-' || number[0] == '+')) ? 1 : 0;
    std::size_t dot = number.find('.');
    std::size_t int_end = dot == std::string::npos ? number.size() : dot;
    if (int_end <= start) return number;
    for (std::size_t i = start; i < number.size(); ++i)
        if (!(std::isdigit(static_cast<unsigned char>(number[i])) || (i == dot))) return number;
    std::string out = number.substr(0, start);
    std::size_t digits = int_end - start;
    for (std::size_t i = 0; i < digits; ++i) {
        if (i && (digits - i) % 3 == 0) out += ',';
        out += number[start + i];
    }
    out += number.substr(int_end);
    return out;
}

namespace {

// A4 portrait, in PostScript points.
constexpr double page_w = 595.276, page_h = 841.89;
constexpr double margin_x = 42, margin_top = 44, margin_bottom = 50;
constexpr double content_w = page_w - 2 * margin_x;
constexpr double row_h = 14.5, header_h = 19, cell_pad = 5;
constexpr double chart_h = 190;
const char* const font_family = "Noto Sans, DejaVu Sans, Noto Sans CJK SC, sans-serif";

struct Rgb {
    double r, g, b;
};
constexpr Rgb ink{0.13, 0.15, 0.18}, muted{0.42, 0.45, 0.50}, accent{0.10, 0.33, 0.55}, header_bg{0.16, 0.26, 0.36},
    zebra{0.95, 0.96, 0.97}, rule{0.80, 0.82, 0.85}, bar{0.23, 0.49, 0.74};

void set(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

bool numeric(CellType t) { return t == CellType::integer || t == CellType::number; }

std::string one_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return out;
}

// Text drawing with one pango context at 72 dpi (1 pt = 1 unit), no hinting: the layout
// depends on nothing but the fonts, so the bytes are reproducible.
class Text {
public:
    explicit Text(cairo_t* cr) : cr_(cr) {
        context_ = pango_cairo_create_context(cr);
        pango_cairo_context_set_resolution(context_, 72);
        cairo_font_options_t* fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
        pango_cairo_context_set_font_options(context_, fo);
        cairo_font_options_destroy(fo);
        layout_ = pango_layout_new(context_);
        // Break long headers between characters without inventing hyphens.
        PangoAttrList* attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
        pango_layout_set_attributes(layout_, attrs);
        pango_attr_list_unref(attrs);
    }
    ~Text() {
        g_object_unref(layout_);
        g_object_unref(context_);
    }
    Text(const Text&) = delete;
    Text& operator=(const Text&) = delete;

    // Sets up the layout; width <= 0: unlimited. Returns the pixel size.
    std::pair<double, double> prepare(const std::string& text, double size, bool bold, double width = 0,
                                      bool wrap = false, PangoAlignment align = PANGO_ALIGN_LEFT) {
        if (size != size_ || bold != bold_) {
            PangoFontDescription* fd = pango_font_description_from_string(font_family);
            pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
            pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
            pango_layout_set_font_description(layout_, fd);
            pango_font_description_free(fd);
            size_ = size;
            bold_ = bold;
        }
        pango_layout_set_text(layout_, text.c_str(), static_cast<int>(text.size()));
        pango_layout_set_alignment(layout_, align);
        if (width > 0) {
            pango_layout_set_width(layout_, static_cast<int>(width * PANGO_SCALE));
            pango_layout_set_ellipsize(layout_, wrap ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
            pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
        } else {
            pango_layout_set_width(layout_, -1);
            pango_layout_set_ellipsize(layout_, PANGO_ELLIPSIZE_NONE);
        }
        int w = 0, h = 0;
        pango_layout_get_size(layout_, &w, &h);
        return {static_cast<double>(w) / PANGO_SCALE, static_cast<double>(h) / PANGO_SCALE};
    }

    std::pair<double, double> measure(const std::string& text, double size, bool bold = false, double width = 0,
                                      bool wrap = false) {
        return prepare(text, size, bold, width, wrap);
    }

    // Draws at (x, y) top-left; returns the height used.
    double draw(const std::string& text, double x, double y, double size, bool bold, const Rgb& color, double width = 0,
                bool wrap = false, PangoAlignment align = PANGO_ALIGN_LEFT) {
        auto [w, h] = prepare(text, size, bold, width, wrap, align);
        set(cr_, color);
        cairo_move_to(cr_, x, y);
        pango_cairo_show_layout(cr_, layout_);
        return h;
    }

private:
    cairo_t* cr_;
    PangoContext* context_;
    PangoLayout* layout_;
    double size_ = -1;
    bool bold_ = false;
};

// Round axis steps: 1, 2 or 5 times a power of ten.
double nice_step(double range, int ticks) {
    if (range <= 0) return 1;
    double raw = range / ticks;
    double p = std::pow(10.0, std::floor(std::log10(raw)));
    double f = raw / p;
    double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return n * p;
}

std::string axis_label(double v, double step) {
    int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step)));
    std::string s = fmt::format("{:.{}f}", v, decimals);
    if (s == "-0") s = "0";
    return group_thousands(s);
}

struct Sink {
    std::ostream* out;
    std::exception_ptr error;
};

cairo_status_t write_to_stream(void* closure, const unsigned char* data, unsigned int length) {
    auto* sink = static_cast<Sink*>(closure);
    if (sink->error) return CAIRO_STATUS_WRITE_ERROR;
    try {
        sink->out->write(reinterpret_cast<const char*>(data), length);
        if (!*sink->out) return CAIRO_STATUS_WRITE_ERROR;
    } catch (...) {
        sink->error = std::current_exception();
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

class Renderer {
public:
    Renderer(cairo_t* cr, const Document& doc, const std::vector<Column>& columns,
             const std::vector<std::vector<std::string>>& rows, std::size_t totals)
        : cr_(cr), text_(cr), doc_(doc), columns_(columns), rows_(rows), totals_(totals) {}

    void render() {
        layout_columns();
        double first_y = title_block(false);
        if (has_chart()) first_y += chart_h + 18;
        double notes_h = notes_height();
        // Pagination: how many rows fit on the first and on later pages.
        double later_top = margin_top + 26;
        std::size_t first_rows = fit(first_y + header_h_);
        std::size_t later_rows = fit(later_top + header_h_);
        std::size_t pages = 1;
        if (rows_.size() > first_rows) pages += (rows_.size() - first_rows + later_rows - 1) / later_rows;
        // The notes go under the last row, or on a page of their own.
        std::size_t on_last = rows_.size() <= first_rows ? rows_.size() : (rows_.size() - first_rows) - (pages - 2) * later_rows;
        double last_top = pages == 1 ? first_y + header_h_ : later_top + header_h_;
        double notes_at = last_top + static_cast<double>(std::max<std::size_t>(on_last, rows_.empty() ? 1 : 0)) * row_h + 12;
        bool notes_page = notes_h > 0 && notes_at + notes_h > page_h - margin_bottom;
        total_pages_ = pages + (notes_page ? 1 : 0);

        std::size_t next = 0;
        for (std::size_t page = 1; page <= pages; ++page) {
            double y;
            if (page == 1) {
                y = title_block(true);
                if (has_chart()) {
                    chart(y);
                    y += chart_h + 18;
                }
            } else {
                y = running_header();
            }
            y = table_header(y);
            std::size_t count = page == 1 ? first_rows : later_rows;
            if (rows_.empty()) {
                text_.draw("No rows for these parameters.", margin_x + cell_pad, y + 2, 8.5, false, muted);
                y += row_h;
            }
            for (std::size_t i = 0; i < count && next < rows_.size(); ++i, ++next) y = table_row(y, next);
            if (page == pages && !notes_page) notes(y + 12);
            footer(page);
            cairo_show_page(cr_);
        }
        if (notes_page) {
            notes(running_header());
            footer(total_pages_);
            cairo_show_page(cr_);
        }
    }

private:
    bool has_chart() const { return doc_.chart && chart_x_ < columns_.size() && chart_y_ < columns_.size() && !rows_.empty(); }

    std::size_t fit(double top) const {
        double room = page_h - margin_bottom - top;
        return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(room / row_h)));
    }

    void layout_columns() {
        chart_x_ = chart_y_ = columns_.size();
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (doc_.chart && columns_[i].name == doc_.chart->x) chart_x_ = i;
            if (doc_.chart && columns_[i].name == doc_.chart->y) chart_y_ = i;
        }
        // Natural widths: the widest cell, and the header's widest part between underscores
        // (a long header wraps onto a second line rather than widening a column of numbers).
        std::vector<double> natural(columns_.size());
        double total_natural = 0;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            // Measuring is shaping: measure each distinct value when there are few, else the
            // 16 longest (by bytes, a fair proxy within one script), which keeps a year of
            // daily rows fast.
            std::unordered_set<std::string_view> distinct;
            for (const auto& r : rows_)
                if (i < r.size()) distinct.insert(r[i]);
            std::vector<std::string_view> candidates(distinct.begin(), distinct.end());
            if (candidates.size() > 64) {
                std::partial_sort(candidates.begin(), candidates.begin() + 16, candidates.end(),
                                  [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
                candidates.resize(16);
            }
            double cells = 0;
            for (std::string_view v : candidates) cells = std::max(cells, text_.measure(cell_text(std::string(v), i), body_size).first);
            double whole = text_.measure(columns_[i].name, head_size, true).first;
            double part = 0;
            std::size_t start = 0;
            const std::string& name = columns_[i].name;
            while (start <= name.size()) {
                std::size_t us = name.find('_', start);
                std::size_t end = us == std::string::npos ? name.size() : us + 1;
                part = std::max(part, text_.measure(name.substr(start, end - start), head_size, true).first);
                if (us == std::string::npos) break;
                start = us + 1;
            }
            // 3 pt of slack: text measured at one size and drawn at a scaled one must not be cut.
            natural[i] = std::max(cells, std::min(whole, std::max(part, cells))) + 3 + 2 * cell_pad;
            total_natural += natural[i];
        }
        // A dense table gets a smaller type (down to 80%) before any column is cut.
        if (total_natural > content_w) {
            double scale = std::max(0.8, content_w / total_natural);
            body_size *= scale;
            head_size *= scale;
            for (double& w : natural) w = (w - 2 * cell_pad) * scale + 2 * cell_pad;
        }

        // Water-filling: columns narrower than a fair share keep their width, the rest share
        // what is left (their cells are ellipsised).
        widths_ = natural;
        double total = 0;
        for (double w : natural) total += w;
        if (total > content_w && !natural.empty()) {
            std::vector<bool> fixed(natural.size(), false);
            double left = content_w;
            std::size_t open = natural.size();
            bool changed = true;
            while (changed && open > 0) {
                changed = false;
                double share = left / static_cast<double>(open);
                for (std::size_t i = 0; i < natural.size(); ++i)
                    if (!fixed[i] && natural[i] <= share) {
                        fixed[i] = true;
                        left -= natural[i];
                        --open;
                        changed = true;
                    }
            }
            for (std::size_t i = 0; i < natural.size(); ++i)
                if (!fixed[i]) widths_[i] = left / static_cast<double>(open);
        } else if (total < content_w && !natural.empty()) {
            // Spread the slack so the table spans the page.
            double extra = (content_w - total) / static_cast<double>(natural.size());
            for (double& w : widths_) w += extra;
        }
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            double w = widths_[i] - 2 * cell_pad;
            double lines = text_.measure(header_text(i, w), head_size, true, w, true).second / (head_size * 1.3);
            if (lines > 1.5) header_h_ = 2 * head_size * 1.25 + 9;
        }
    }

    std::string cell_text(const std::string& v, std::size_t column) const {
        return numeric(columns_[column].type) ? group_thousands(v) : one_line(v);
    }

    double title_block(bool draw) {
        double y = margin_top;
        auto put = [&](const std::string& s, double size, bool bold, const Rgb& c, double gap) {
            double h = draw ? text_.draw(s, margin_x, y, size, bold, c, content_w, true)
                            : text_.measure(s, size, bold, content_w, true).second;
            y += h + gap;
        };
        if (draw) {
            set(cr_, accent);
            cairo_rectangle(cr_, margin_x, y - 10, 46, 3);
            cairo_fill(cr_);
        }
        put(doc_.title, 19, true, ink, 2);
        if (!doc_.description.empty()) put(doc_.description, 9.5, false, muted, 8);
        // Parameters as "name: value" pairs, two columns.
        double col_w = content_w / 2;
        std::size_t half = (doc_.parameters.size() + 1) / 2;
        for (std::size_t i = 0; i < half; ++i) {
            double h = 0;
            for (std::size_t j : {i, i + half}) {
                if (j >= doc_.parameters.size() || (j == i + half && j == i)) continue;
                const auto& [k, v] = doc_.parameters[j];
                double x = margin_x + (j >= half ? col_w : 0);
                if (draw) {
                    double kw = text_.measure(k + ": ", 8.5, true).first;
                    text_.draw(k + ": ", x, y, 8.5, true, muted);
                    h = std::max(h, text_.draw(v, x + kw, y, 8.5, false, ink, col_w - kw - 8, true));
                } else {
                    double kw = text_.measure(k + ": ", 8.5, true).first;
                    h = std::max(h, text_.measure(v, 8.5, false, col_w - kw - 8, true).second);
                }
            }
            y += h + 2;
        }
        put("Generated " + human_time(doc_.generated_epoch) + " by spotctl " + std::string(build::version), 8, false, muted, 10);
        if (draw) {
            set(cr_, rule);
            cairo_set_line_width(cr_, 0.6);
            cairo_move_to(cr_, margin_x, y - 4);
            cairo_line_to(cr_, margin_x + content_w, y - 4);
            cairo_stroke(cr_);
        }
        return y + 6;
    }

    static std::string human_time(long long epoch) { return format_utc(epoch, "%Y-%m-%d %H:%M UTC"); }

    double running_header() {
        double y = margin_top - 8;
        text_.draw(doc_.title, margin_x, y, 9, true, muted, content_w * 0.7);
        set(cr_, rule);
        cairo_set_line_width(cr_, 0.6);
        cairo_move_to(cr_, margin_x, y + 16);
        cairo_line_to(cr_, margin_x + content_w, y + 16);
        cairo_stroke(cr_);
        return margin_top + 26;
    }

    // A header too wide for its column may break after its underscores (a zero-width space).
    std::string header_text(std::size_t i, double w) {
        const std::string& name = columns_[i].name;
        if (text_.measure(name, head_size, true).first <= w) return name;
        std::string out;
        for (char c : name) {
            out += c;
            if (c == '_') out += "\u200b";
        }
        return out;
    }

    double table_header(double y) {
        set(cr_, header_bg);
        cairo_rectangle(cr_, margin_x, y, content_w, header_h_);
        cairo_fill(cr_);
        double x = margin_x;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            double w = widths_[i] - 2 * cell_pad;
            std::string label = header_text(i, w);
            double h = text_.measure(label, head_size, true, w, true).second;
            text_.draw(label, x + cell_pad, y + header_h_ - 4.5 - h, head_size, true, Rgb{1, 1, 1}, w, true,
                       numeric(columns_[i].type) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
            x += widths_[i];
        }
        return y + header_h_;
    }

    double table_row(double y, std::size_t index) {
        if (index % 2 == 1) {
            set(cr_, zebra);
            cairo_rectangle(cr_, margin_x, y, content_w, row_h);
            cairo_fill(cr_);
        }
        const auto& r = rows_[index];
        bool total = index >= rows_.size() - totals_;
        double x = margin_x;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            double w = widths_[i] - 2 * cell_pad;
            if (i < r.size() && !r[i].empty())
                text_.draw(cell_text(r[i], i), x + cell_pad, y + 2.5, body_size, total, ink, w, false,
                           numeric(columns_[i].type) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
            x += widths_[i];
        }
        return y + row_h;
    }

    void chart(double top) {
        // Sum y per distinct x, in the order the x values first appear.
        std::vector<std::string> xs;
        std::map<std::string, double> sums;
        for (std::size_t n = 0; n + totals_ < rows_.size(); ++n) {
            const auto& r = rows_[n];
            const std::string& x = r[chart_x_];
            if (!sums.count(x)) xs.push_back(x);
            double v = 0;
            try {
                v = r[chart_y_].empty() ? 0 : std::stod(r[chart_y_]);
            } catch (...) {
                v = 0;
            }
            sums[x] += v;
        }
        double lo = 0, hi = 0;
        for (const auto& x : xs) lo = std::min(lo, sums[x]), hi = std::max(hi, sums[x]);
        if (hi == lo) hi = lo + 1;
        double step = nice_step(hi - lo, 5);
        lo = std::floor(lo / step) * step;
        hi = std::ceil(hi / step) * step;

        std::string label = doc_.chart->label.empty() ? doc_.chart->y : doc_.chart->label;
        text_.draw(label + " per " + doc_.chart->x, margin_x, top, 9.5, true, ink);
        double plot_top = top + 20, plot_bottom = top + chart_h - 18;
        // The gridlines lo, lo + step, ..., hi, counted in integers: adding up a float step drifts.
        const int gridlines = static_cast<int>(std::lround((hi - lo) / step)) + 1;
        auto grid_value = [&](int k) { return lo + k * step; };
        double label_w = 0;
        for (int k = 0; k < gridlines; ++k) label_w = std::max(label_w, text_.measure(axis_label(grid_value(k), step), 7).first);
        double plot_left = margin_x + label_w + 6, plot_right = margin_x + content_w;
        auto y_of = [&](double v) { return plot_bottom - (v - lo) / (hi - lo) * (plot_bottom - plot_top); };

        cairo_set_line_width(cr_, 0.5);
        for (int k = 0; k < gridlines; ++k) {
            double v = grid_value(k);
            double y = y_of(v);
            set(cr_, std::fabs(v) < step / 2 ? muted : rule);
            cairo_move_to(cr_, plot_left, y);
            cairo_line_to(cr_, plot_right, y);
            cairo_stroke(cr_);
            std::string s = axis_label(v, step);
            double w = text_.measure(s, 7).first;
            text_.draw(s, plot_left - 4 - w, y - 4.5, 7, false, muted);
        }
        double n = static_cast<double>(xs.size());
        double slot = (plot_right - plot_left) / n;
        set(cr_, bar);
        if (doc_.chart->line) {
            cairo_set_line_width(cr_, 1.4);
            for (std::size_t i = 0; i < xs.size(); ++i) {
                double cx = plot_left + slot * (static_cast<double>(i) + 0.5);
                if (i == 0) cairo_move_to(cr_, cx, y_of(sums[xs[i]]));
                else cairo_line_to(cr_, cx, y_of(sums[xs[i]]));
            }
            cairo_stroke(cr_);
        } else {
            double bw = std::max(0.6, slot * 0.72);
            for (std::size_t i = 0; i < xs.size(); ++i) {
                double cx = plot_left + slot * (static_cast<double>(i) + 0.5);
                double y0 = y_of(0), y1 = y_of(sums[xs[i]]);
                cairo_rectangle(cr_, cx - bw / 2, std::min(y0, y1), bw, std::fabs(y1 - y0));
            }
            cairo_fill(cr_);
        }
        // x labels: as many as fit without overlapping, evenly spaced.
        double widest = 0;
        for (const auto& x : xs) widest = std::max(widest, text_.measure(x, 7).first);
        std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 8) / slot)));
        for (std::size_t i = 0; i < xs.size(); i += every) {
            double cx = plot_left + slot * (static_cast<double>(i) + 0.5);
            double w = text_.measure(xs[i], 7).first;
            double x = std::clamp(cx - w / 2, plot_left - label_w, plot_right - w);
            text_.draw(xs[i], x, plot_bottom + 4, 7, false, muted);
        }
    }

    double notes_height() {
        double h = 0;
        for (const auto& n : doc_.notes) h += text_.measure(n, 7.5, false, content_w, true).second + 2;
        return h;
    }

    void notes(double y) {
        for (const auto& n : doc_.notes) y += text_.draw(n, margin_x, y, 7.5, false, muted, content_w, true) + 2;
    }

    void footer(std::size_t page) {
        double y = page_h - margin_bottom + 18;
        set(cr_, rule);
        cairo_set_line_width(cr_, 0.6);
        cairo_move_to(cr_, margin_x, y - 5);
        cairo_line_to(cr_, margin_x + content_w, y - 5);
        cairo_stroke(cr_);
        text_.draw(doc_.title + " · " + human_time(doc_.generated_epoch), margin_x, y, 7.5, false, muted, content_w * 0.7);
        std::string p = fmt::format("Page {} of {}", page, total_pages_);
        double w = text_.measure(p, 7.5).first;
        text_.draw(p, margin_x + content_w - w, y, 7.5, false, muted);
    }

    cairo_t* cr_;
    Text text_;
    const Document& doc_;
    const std::vector<Column>& columns_;
    const std::vector<std::vector<std::string>>& rows_;
    std::size_t totals_;  // the last rows are totals: bold, not charted
    std::vector<double> widths_;
    std::size_t chart_x_ = 0, chart_y_ = 0;
    std::size_t total_pages_ = 1;
    double body_size = 8.5, head_size = 8;
    double header_h_ = header_h;
};

}  // namespace

PdfWriter::PdfWriter(std::ostream& out, const WriterOptions& options) : out_(out) {
    if (options.document) document_ = *options.document;
    if (document_.title.empty()) document_.title = "spotctl";
}

void PdfWriter::begin(const std::vector<Column>& columns) { columns_ = columns; }

void PdfWriter::row(const std::vector<Cell>& cells) {
    std::vector<std::string> line;
    line.reserve(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i) line.push_back(i < cells.size() && cells[i] ? *cells[i] : "");
    rows_.push_back(std::move(line));
}

void PdfWriter::total(const std::vector<Cell>& cells) {
    row(cells);
    ++totals_;
}

void PdfWriter::end() {
    if (ended_) return;
    ended_ = true;
    Sink sink{&out_, nullptr};
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write_to_stream, &sink, page_w, page_h);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    std::string date = iso_utc(document_.generated_epoch);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document_.title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, "spotctl");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, document_.description.c_str());
    std::string creator = std::string("spotctl ") + build::version;
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, creator.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
    cairo_t* cr = cairo_create(surface);
    {
        Renderer renderer(cr, document_, columns_, rows_, totals_);
        renderer.render();
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (sink.error) std::rethrow_exception(sink.error);
    if (status != CAIRO_STATUS_SUCCESS)
        throw Error(Exit::cant_write, fmt::format("cannot write the PDF: {}", cairo_status_to_string(status)));
    out_.flush();
}

}  // namespace spotctl::exporters

namespace {

// The caller's output as a stream, for PdfWriter.
class CallbackBuffer : public std::streambuf {
public:
    CallbackBuffer(spotctl_write_fn write, void* context) : write_(write), context_(context) {}

protected:
    std::streamsize xsputn(const char* data, std::streamsize size) override {
        return write_(context_, data, static_cast<std::size_t>(size)) == 0 ? size : 0;
    }
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        char ch = traits_type::to_char_type(c);
        return write_(context_, &ch, 1) == 0 ? c : traits_type::eof();
    }

private:
    spotctl_write_fn write_;
    void* context_;
};

int fail(spotctl_module_error* error, spotctl::Exit code, const char* message, const std::string& hint) {
    error->code = static_cast<int>(code);
    (void)std::snprintf(error->message, sizeof error->message, "%s", message);
    (void)std::snprintf(error->hint, sizeof error->hint, "%s", hint.c_str());
    return error->code;
}

}  // namespace

extern "C" int spotctl_pdf_render(const spotctl_pdf_input* in, spotctl_write_fn out, void* out_context, spotctl_module_error* error) {
    using namespace spotctl::exporters;
    try {
        Document document;
        document.title = in->title;
        document.description = in->description;
        for (std::size_t i = 0; i < in->parameter_count; ++i) document.parameters.emplace_back(in->parameters[i].name, in->parameters[i].value);
        document.generated_at = in->generated_at;
        document.generated_epoch = in->generated_epoch;
        if (in->has_chart) document.chart = Chart{in->chart_x, in->chart_y, in->chart_label, in->chart_line != 0};
        for (std::size_t i = 0; i < in->note_count; ++i) document.notes.emplace_back(in->notes[i]);
        std::vector<Column> columns;
        for (std::size_t i = 0; i < in->column_count; ++i) columns.push_back({in->columns[i].name, static_cast<CellType>(in->columns[i].type)});

        CallbackBuffer buffer(out, out_context);
        std::ostream stream(&buffer);
        WriterOptions options;
        options.document = &document;
        PdfWriter writer(stream, options);
        writer.begin(columns);
        std::vector<Cell> cells(in->column_count);
        for (std::size_t r = 0; r < in->row_count; ++r) {
            for (std::size_t c = 0; c < in->column_count; ++c) {
                const char* cell = in->cells[r * in->column_count + c];
                cells[c] = cell ? Cell(cell) : Cell();
            }
            if (r + in->total_row_count >= in->row_count) writer.total(cells);
            else writer.row(cells);
        }
        writer.end();
        return 0;
    } catch (const spotctl::Error& e) {
        return fail(error, e.code(), e.what(), e.hint());
    } catch (const std::exception& e) {  // no C++ exception may leave the module
        return fail(error, spotctl::Exit::internal, e.what(), "");
    }
}
[[maybe_unused]] static constexpr spotctl_pdf_render_fn spotctl_pdf_render_matches_its_type = &spotctl_pdf_render;

SPOTCTL_MODULE_VERSION
