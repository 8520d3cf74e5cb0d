# chart-04-retry-after.gp - written by jtlscope VERSION
# Re-render chart-04-retry-after.png and chart-04-retry-after.svg from this folder with:
#     gnuplot chart-04-retry-after.gp
# The data (and every label from the JTL) is in chart-04-retry-after.dat,
# tab-separated, one block per index, titles in the first line.
reset
set encoding utf8
set datafile separator "\t"
set datafile columnheaders
set terminal pngcairo size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-04-retry-after.png'
set title 'Retry-After values of the refusals' font 'Sans,13'
set xlabel 'Retry-After (s)'
set ylabel 'refused requests'
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style fill solid 0.75 noborder
set boxwidth 0.6 absolute
unset key
set xrange [1:6]
set yrange [0:]
plot 'chart-04-retry-after.dat' index 0 using 1:2 notitle with boxes fs solid 0.75 noborder lc rgb '#E69F00'
set terminal svg size 1000,500 noenhanced font 'Sans,11' background '#ffffff'
set output 'chart-04-retry-after.svg'
replot
unset output
