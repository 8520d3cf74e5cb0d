# chart-02-429-share.gp - written by jtlscope VERSION
# Re-render chart-02-429-share.png and chart-02-429-share.svg from this folder with:
#     gnuplot chart-02-429-share.gp
# The data (and every label from the JTL) is in chart-02-429-share.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-02-429-share.png'
set title 'Share of refused requests vs offered rate' font 'Sans,13'
set xlabel 'offered requests per second (all requests started in that second)'
set ylabel 'refused share (%)'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:]
set yrange [0:100]
plot 'chart-02-429-share.dat' index 0 using 1:2 title 'observed (seconds grouped by offered rate)' with linespoints pt 7 ps 0.8 lc rgb '#D55E00' lw 2, \
     (x > 28.56 ? 100*(1 - 28.56/x) : 0) title 'threshold model: limit 28.6 req/s' with lines lc rgb '#0072B2' lw 2 dt 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-02-429-share.svg'
replot
unset output
