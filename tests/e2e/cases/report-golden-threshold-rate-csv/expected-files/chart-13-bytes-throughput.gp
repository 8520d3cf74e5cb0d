# chart-13-bytes-throughput.gp - written by jtlscope VERSION
# Re-render chart-13-bytes-throughput.png and chart-13-bytes-throughput.svg from this folder with:
#     gnuplot chart-13-bytes-throughput.gp
# The data (and every label from the JTL) is in chart-13-bytes-throughput.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-13-bytes-throughput.png'
set title 'Bytes throughput over time' font 'Sans,13'
set xlabel 'time since start of test (s)'
set ylabel 'KB per second'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.8 relative
set key at screen 0.5, screen 0.012 center bottom horizontal Left reverse samplen 2 width 2 maxcols 3
set bmargin 6
set xrange [0:25.302]
set yrange [0:]
plot 'chart-13-bytes-throughput.dat' index 0 using 1:2 title columnheader(2) with lines lc rgb '#009E73' lw 2
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-13-bytes-throughput.svg'
replot
unset output
